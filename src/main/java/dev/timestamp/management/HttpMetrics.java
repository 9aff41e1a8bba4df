package dev.timestamp.management;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the HTTP port turned away: requests it could not decode, and connections closed
 * without a complete request in time.
 */
final class HttpMetrics {

	private final Counter malformed;

	private final Counter tooLarge;

	private final Counter timedOut;

	HttpMetrics(MeterRegistry registry) {
		this.malformed = rejected(registry, "malformed");
		this.tooLarge = rejected(registry, "too_large");
		this.timedOut = Counter.builder("timestamp.http.connections.timed.out")
			.description("HTTP connections closed without a complete request within timestamp.http.request-timeout")
			.register(registry);
	}

	private static Counter rejected(MeterRegistry registry, String reason) {
		return Counter.builder("timestamp.http.requests.rejected")
			.description("HTTP requests that could not be decoded (answered 400 or 431)")
			.tag("reason", reason)
			.register(registry);
	}

	void rejected(boolean tooLarge) {
		(tooLarge ? this.tooLarge : this.malformed).increment();
	}

	void timedOut() {
		this.timedOut.increment();
	}

}
