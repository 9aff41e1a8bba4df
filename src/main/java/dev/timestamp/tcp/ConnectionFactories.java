package dev.timestamp.tcp;

import java.util.List;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.EventLoops;

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
		TimestampProperties.Tcp tcp = properties.getTcp();
		NettyTcpServerConnectionFactory factory = new NettyTcpServerConnectionFactory(loops, metrics,
				BindAddress.effective(properties.getBindAddress()), port, tcp.getBacklog(), tcp.getFraming(),
				(int) tcp.getMaxFrameBytes().toBytes(), tcp.getMaxConnections(), tcp.getMaxConnectionsPerSource(),
				tcp.getIdleTimeout(), (int) tcp.getMaxQueuedReplyBytes().toBytes());
		factory.setRawFallbackAfter(tcp.getRawFallbackAfter());
		factory.setMaxConnectionAge(tcp.getMaxConnectionAge());
		factory.setMemoryPressurePercent(tcp.getMemoryPressurePercent());
		factory.setHoldUntilOpened(true);
		TimestampProperties.Tcp.ProxyProtocol proxy = tcp.getProxyProtocol();
		factory.setProxyProtocol(new ProxyProtocolSettings(proxy.getMode(), List.copyOf(proxy.getTrustedSources()),
				proxy.getHeaderTimeout(), (int) proxy.getMaxTlvBytes().toBytes()));
		return factory;
	}

}
