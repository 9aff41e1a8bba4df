package dev.timestamp.tcp;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import dev.timestamp.metrics.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * TCP connection and frame meters. Every accepted connection counts as opened and, when
 * it ends, as closed with its reason, so that {@code opened = closed + active} always
 * holds; one closed on accept over a cap also counts as rejected.
 */
public final class TcpMetrics {

	private final MeterRegistry registry;

	private final RequestMetrics requests;

	private final Counter opened;

	private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);

	private final Map<CloseReason, Counter> rejected = new EnumMap<>(CloseReason.class);

	private final Counter framesTooLarge;

	private final Counter acceptFailures;

	private final Counter framesMalformed;

	TcpMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.requests = new RequestMetrics(registry, "tcp");
		this.opened = Counter.builder("timestamp.tcp.connections.opened")
			.description("TCP connections accepted")
			.register(registry);
		for (CloseReason reason : CloseReason.values()) {
			this.closed.put(reason,
					Counter.builder("timestamp.tcp.connections.closed")
						.description("TCP connections closed, by reason")
						.tag("reason", reason.tag())
						.register(registry));
		}
		for (CloseReason reason : List.of(CloseReason.LIMIT, CloseReason.PER_SOURCE)) {
			this.rejected.put(reason,
					Counter.builder("timestamp.tcp.connections.rejected")
						.description("TCP connections closed on accept, by the cap they were over")
						.tag("reason", reason.tag())
						.register(registry));
		}
		this.acceptFailures = Counter.builder("timestamp.tcp.accept.failures")
			.description("TCP connections the listener could not accept (for example: too many open files)")
			.register(registry);
		this.framesTooLarge = frames(registry, "too_large");
		this.framesMalformed = frames(registry, "malformed");
	}

	private static Counter frames(MeterRegistry registry, String reason) {
		return Counter.builder("timestamp.frames.rejected")
			.description("TCP requests rejected by the framing")
			.tag("reason", reason)
			.register(registry);
	}

	/** Publishes the number of open connections. */
	public void bindActiveConnections(IntSupplier active) {
		Gauge.builder("timestamp.tcp.connections.active", active::getAsInt)
			.description("TCP connections open now")
			.register(this.registry);
	}

	public RequestMetrics requests() {
		return this.requests;
	}

	public void opened() {
		this.opened.increment();
	}

	public void closed(CloseReason reason) {
		this.closed.get(reason).increment();
	}

	/** Closed on accept over a cap ({@code limit} or {@code per_source}). */
	public void rejected(CloseReason cap) {
		this.rejected.get(cap).increment();
	}

	public void acceptFailed() {
		this.acceptFailures.increment();
	}

	public void frameTooLarge() {
		this.framesTooLarge.increment();
	}

	public void frameMalformed() {
		this.framesMalformed.increment();
	}

}
