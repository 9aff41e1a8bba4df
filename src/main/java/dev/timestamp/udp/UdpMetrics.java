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

	UdpMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.requests = new RequestMetrics(registry, "udp");
		for (DropReason reason : DropReason.values()) {
			this.dropped.put(reason,
					Counter.builder("timestamp.udp.datagrams.dropped")
						.description("UDP datagrams not answered, by reason")
						.tag("reason", reason.tag())
						.register(registry));
		}
	}

	public RequestMetrics requests() {
		return this.requests;
	}

	/** Publishes how many source addresses the rate limit tracks. */
	public void trackedSources(IntSupplier count) {
		Gauge.builder("timestamp.udp.rate.limit.tracked.sources", count, IntSupplier::getAsInt)
			.description("Source addresses the UDP rate limit tracks (bounded by max-tracked-sources)")
			.strongReference(true)
			.register(this.registry);
	}

	/** Publishes how many sockets are open for addresses found when a datagram came. */
	public void addressSockets(IntSupplier count) {
		Gauge.builder("timestamp.udp.address.sockets", count, IntSupplier::getAsInt)
			.description("UDP sockets open for local addresses found when a datagram arrived for them"
					+ " (bounded by max-address-sockets per event loop)")
			.strongReference(true)
			.register(this.registry);
	}

	public void dropped(DropReason reason) {
		this.dropped.get(reason).increment();
	}

}
