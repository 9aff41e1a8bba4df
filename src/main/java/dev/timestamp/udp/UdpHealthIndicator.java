package dev.timestamp.udp;

import io.netty.util.NetUtil;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code udp} in {@code /actuator/health} and readiness: UP while the socket receives.
 */
public class UdpHealthIndicator implements HealthIndicator {

	private final UdpInboundEndpoint endpoint;

	public UdpHealthIndicator(UdpInboundEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public Health health() {
		if (!this.endpoint.isListening()) {
			return Health.down().withDetail("reason", this.endpoint.getNotListeningReason()).build();
		}
		return Health.up()
			.withDetail("address", NetUtil.toAddressString(this.endpoint.getBindAddress()))
			.withDetail("port", this.endpoint.getPort())
			.build();
	}

}
