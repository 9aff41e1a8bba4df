package dev.timestamp.metrics;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * UDP datagram meters.
 */
public final class UdpMetrics {

	private final RequestMetrics requests;

	private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

	UdpMetrics(MeterRegistry registry) {
		this.requests = new RequestMetrics(registry, "udp");
		for (DropReason reason : DropReason.values()) {
			this.dropped.put(reason, Counter.builder("timestamp.udp.datagrams.dropped")
				.description("UDP datagrams not answered, by reason")
				.tag("reason", reason.tag())
				.register(registry));
		}
	}

	public RequestMetrics requests() {
		return this.requests;
	}

	public void dropped(DropReason reason) {
		this.dropped.get(reason).increment();
	}

}
