package dev.timestamp.udp;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

import dev.timestamp.metrics.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * UDP datagram meters.
 */
public final class UdpMetrics {

	private final RequestMetrics requests;

	private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

	private final MeterRegistry registry;

	private final String prefix;

	/** The timestamp's UDP listener: {@code timestamp.udp.*}, transport {@code udp}. */
	UdpMetrics(MeterRegistry registry) {
		this(registry, "udp", "udp", false);
	}

	private UdpMetrics(MeterRegistry registry, String listener, String transport, boolean clockGated) {
		this.registry = registry;
		this.prefix = "timestamp." + listener;
		this.requests = new RequestMetrics(registry, transport);
		for (DropReason reason : DropReason.values()) {
			if (reason == DropReason.CLOCK_UNSYNCHRONIZED && !clockGated) {
				continue;
			}
			this.dropped.put(reason,
					Counter.builder(this.prefix + ".datagrams.dropped")
						.description("UDP datagrams not answered, by reason")
						.tag("reason", reason.tag())
						.register(registry));
		}
	}

	/**
	 * The meters of a Time or Daytime listener's UDP side:
	 * {@code timestamp.<listener>.datagrams.dropped}, requests tagged
	 * {@code transport=<listener>-udp}, and datagrams dropped while the clock is not
	 * trusted.
	 */
	public static UdpMetrics ofTimeProtocol(MeterRegistry registry, String listener) {
		return new UdpMetrics(registry, listener, listener + "-udp", true);
	}

	public RequestMetrics requests() {
		return this.requests;
	}

	/** Publishes how many source addresses the rate limit tracks. */
	public void trackedSources(IntSupplier count) {
		Gauge.builder(this.prefix + ".rate.limit.tracked.sources", count, IntSupplier::getAsInt)
			.description("Source addresses the UDP rate limit tracks (bounded by max-tracked-sources)")
			.strongReference(true)
			.register(this.registry);
	}

	/** Publishes how many sockets are open for addresses found when a datagram came. */
	public void addressSockets(IntSupplier count) {
		Gauge.builder(this.prefix + ".address.sockets", count, IntSupplier::getAsInt)
			.description("UDP sockets open for local addresses found when a datagram arrived for them"
					+ " (bounded by max-address-sockets per event loop)")
			.strongReference(true)
			.register(this.registry);
	}

	public void dropped(DropReason reason) {
		this.dropped.get(reason).increment();
	}

}
