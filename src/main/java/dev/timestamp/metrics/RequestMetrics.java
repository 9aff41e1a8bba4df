package dev.timestamp.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One transport's request meters, resolved once: recording is a few adder increments and
 * a histogram update, with no tag lookup.
 */
public final class RequestMetrics {

	/** Histogram buckets of the request duration, from a microsecond to a second. */
	private static final Duration[] BUCKETS = durations(1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000,
			500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000, 1_000_000_000);

	private final Counter ok;

	private final Counter errors;

	private final Timer duration;

	private final Counter received;

	private final Counter sent;

	public RequestMetrics(MeterRegistry registry, String transport) {
		this.ok = Counter.builder("timestamp.requests")
			.description("Requests answered")
			.tags("transport", transport, "outcome", "ok")
			.register(registry);
		this.errors = Counter.builder("timestamp.requests")
			.description("Requests answered")
			.tags("transport", transport, "outcome", "error")
			.register(registry);
		this.duration = Timer.builder("timestamp.request.duration")
			.description(
					"Time inside the server from a decoded request (or the previous reply of the same read) to its queued reply")
			.tag("transport", transport)
			.serviceLevelObjectives(BUCKETS)
			.register(registry);
		this.received = Counter.builder("timestamp.received")
			.description("Bytes received from clients")
			.baseUnit("bytes")
			.tag("transport", transport)
			.register(registry);
		this.sent = Counter.builder("timestamp.sent")
			.description("Bytes sent to clients")
			.baseUnit("bytes")
			.tag("transport", transport)
			.register(registry);
	}

	/** One request answered, {@code nanos} after it was decoded. */
	public void answered(long nanos) {
		this.duration.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Requests answered since the last call, counted once per read batch. */
	public void answeredCount(long count) {
		this.ok.increment(count);
	}

	/** A request answered with an error reply. */
	public void failed() {
		this.errors.increment();
	}

	public void received(long bytes) {
		this.received.increment(bytes);
	}

	public void sent(long bytes) {
		this.sent.increment(bytes);
	}

	private static Duration[] durations(long... nanos) {
		Duration[] durations = new Duration[nanos.length];
		for (int i = 0; i < nanos.length; i++) {
			durations[i] = Duration.ofNanos(nanos[i]);
		}
		return durations;
	}

}
