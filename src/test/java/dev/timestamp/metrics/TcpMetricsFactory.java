package dev.timestamp.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The transports' meters on a registry of the test's choosing, for handler tests.
 */
public final class TcpMetricsFactory {

	private TcpMetricsFactory() {
	}

	public static TcpMetrics create(MeterRegistry registry) {
		return new TcpMetrics(registry);
	}

}
