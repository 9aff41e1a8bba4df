package dev.timestamp.tcp;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.tcp.connection.TcpMetrics;

/**
 * Builds a listener's connection factory from the {@code timestamp.tcp.*} settings, which
 * the plain and the TLS listener share (framing, limits, timers, PROXY protocol); each
 * listener has its own port, caps and meters.
 */
public final class ConnectionFactories {

	private ConnectionFactories() {
	}

	public static NettyTcpServerConnectionFactory create(EventLoops loops, TcpMetrics metrics,
			TimestampProperties properties, int port) {
		NettyTcpServerConnectionFactory factory = new NettyTcpServerConnectionFactory(loops, metrics,
				ListenerSettings.of(properties, port));
		factory.setHoldUntilOpened(true);
		return factory;
	}

}
