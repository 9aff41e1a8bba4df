package dev.timestamp.tcp;

import io.netty.util.NetUtil;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code tcp} in {@code /actuator/health} and readiness: UP while the listener accepts
 * connections.
 */
public class TcpHealthIndicator implements HealthIndicator {

	private final NettyTcpServerConnectionFactory factory;

	public TcpHealthIndicator(NettyTcpServerConnectionFactory factory) {
		this.factory = factory;
	}

	@Override
	public Health health() {
		if (!this.factory.isListening()) {
			return Health.down().withDetail("reason", this.factory.getNotListeningReason()).build();
		}
		Health.Builder up = Health.up()
			.withDetail("address", NetUtil.toAddressString(this.factory.getBindAddress()))
			.withDetail("port", this.factory.getPort());
		if (!this.factory.answersOnConnect()) {
			up.withDetail("framing", this.factory.getFraming().configName());
		}
		return up.withDetail("connections", this.factory.getOpenConnectionCount()).build();
	}

}
