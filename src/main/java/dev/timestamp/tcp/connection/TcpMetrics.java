package dev.timestamp.tcp.connection;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

import dev.timestamp.metrics.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

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

	private final @Nullable Counter framesUnterminated;

	private final String prefix;

	private final Map<HandshakeOutcome, Counter> handshakes = new EnumMap<>(HandshakeOutcome.class);

	/** The plain TCP listener's meters: {@code timestamp.tcp.*}. */
	public TcpMetrics(MeterRegistry registry) {
		this(registry, "tcp");
	}

	/**
	 * A listener's meters: {@code timestamp.<listener>.connections.*}, requests tagged
	 * {@code transport=<listener>}; the TLS listener ({@code tls}) also counts its
	 * handshakes.
	 */
	public TcpMetrics(MeterRegistry registry, String listener) {
		this(registry, listener, listener, false);
	}

	/**
	 * The meters of a listener that answers on connect (Time, Daytime): requests tagged
	 * {@code transport=<listener>-tcp}, connections closed after their reply or refused
	 * while the clock is not trusted, and no frame meters (there is no frame).
	 */
	public static TcpMetrics answeringOnConnect(MeterRegistry registry, String listener) {
		return new TcpMetrics(registry, listener, listener + "-tcp", true);
	}

	private TcpMetrics(MeterRegistry registry, String listener, String transport, boolean answersOnConnect) {
		this.registry = registry;
		this.prefix = "timestamp." + listener;
		String what = listener.toUpperCase(Locale.ROOT);
		this.requests = new RequestMetrics(registry, transport);
		this.opened = Counter.builder(this.prefix + ".connections.opened")
			.description(what + " connections accepted")
			.register(registry);
		for (CloseReason reason : CloseReason.values()) {
			if (!reason.appliesTo(listener.equals("tls"), answersOnConnect)) {
				continue;
			}
			this.closed.put(reason,
					Counter.builder(this.prefix + ".connections.closed")
						.description(what + " connections closed, by reason")
						.tag("reason", reason.tag())
						.register(registry));
		}
		for (CloseReason reason : List.of(CloseReason.LIMIT, CloseReason.PER_SOURCE)) {
			this.rejected.put(reason,
					Counter.builder(this.prefix + ".connections.rejected")
						.description(what + " connections closed on accept, by the cap they were over")
						.tag("reason", reason.tag())
						.register(registry));
		}
		this.acceptFailures = Counter.builder(this.prefix + ".accept.failures")
			.description(what + " connections the listener could not accept (for example: too many open files)")
			.register(registry);
		// The plain listener's frame meter predates the TLS listener and keeps its name.
		String frames = listener.equals("tcp") ? "timestamp.frames.rejected" : this.prefix + ".frames.rejected";
		MeterRegistry framesRegistry = answersOnConnect ? new SimpleMeterRegistry() : registry;
		this.framesTooLarge = frames(framesRegistry, frames, "too_large");
		this.framesMalformed = frames(framesRegistry, frames, "malformed");
		if (listener.equals("tls")) {
			this.framesUnterminated = frames(registry, frames, "unterminated");
			for (HandshakeOutcome outcome : HandshakeOutcome.values()) {
				this.handshakes.put(outcome,
						Counter.builder("timestamp.tls.handshakes")
							.description("TLS handshakes, by outcome")
							.tag("outcome", outcome.tag())
							.register(registry));
			}
		}
		else {
			this.framesUnterminated = null;
		}
	}

	private static Counter frames(MeterRegistry registry, String name, String reason) {
		return Counter.builder(name)
			.description("Requests rejected by the framing")
			.tag("reason", reason)
			.register(registry);
	}

	public void handshake(HandshakeOutcome outcome) {
		Counter counter = this.handshakes.get(outcome);
		if (counter != null) {
			counter.increment();
		}
	}

	/** Publishes the number of open connections. */
	public void bindActiveConnections(IntSupplier active) {
		Gauge.builder(this.prefix + ".connections.active", active::getAsInt)
			.description("Connections open now")
			.register(this.registry);
	}

	public RequestMetrics requests() {
		return this.requests;
	}

	public void opened() {
		this.opened.increment();
	}

	public void closed(CloseReason reason) {
		Counter counter = this.closed.get(reason);
		// Null for a reason this listener cannot have, which is not published.
		if (counter != null) {
			counter.increment();
		}
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

	/**
	 * TLS: a last request left without its terminator when the client's close_notify
	 * arrived, on an engine that sends nothing after it.
	 */
	public void frameUnterminated() {
		if (this.framesUnterminated != null) {
			this.framesUnterminated.increment();
		}
	}

}
