package dev.timestamp.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The registry the service's own meters go to: the application's, or, with
 * {@code timestamp.metrics.enabled=false}, one that keeps nothing. Each transport
 * registers its meters here at start-up, so they exist (at zero) before the first
 * request.
 */
public final class ServiceMeters {

	private final MeterRegistry registry;

	ServiceMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	public MeterRegistry registry() {
		return this.registry;
	}

}
