package dev.timestamp.tcp;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.tcp.connection.TcpMetrics;

/**
 * Builds a listener's connection factory from the {@code timestamp.tcp.*} settings, which
 * every TCP listener shares (framing, limits, timers, PROXY protocol); each listener has
 * its own port, caps and meters, and all draw on the same file descriptors.
 */
public final class ConnectionFactories {

	private ConnectionFactories() {
	}

	public static NettyTcpServerConnectionFactory create(EventLoops loops, DescriptorBudget descriptors,
			TcpMetrics metrics, TimestampProperties properties, int port) {
		return create(loops, descriptors, metrics, ListenerSettings.of(properties, port));
	}

	public static NettyTcpServerConnectionFactory create(EventLoops loops, DescriptorBudget descriptors,
			TcpMetrics metrics, ListenerSettings settings) {
		NettyTcpServerConnectionFactory factory = new NettyTcpServerConnectionFactory(loops, descriptors, metrics,
				settings);
		factory.setHoldUntilOpened(true);
		return factory;
	}

}
