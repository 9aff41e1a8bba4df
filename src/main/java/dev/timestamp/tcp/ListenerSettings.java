package dev.timestamp.tcp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.framing.Framing;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.tcp.proxy.ProxyProtocolSettings;

/**
 * What a TCP listener is built from, read once from the {@code timestamp.tcp.*} settings,
 * which the plain and the TLS listener share; each has its own port.
 *
 * @param bindAddress the address bound
 * @param port the port; 0 picks a free one
 * @param backlog connections the kernel queues before they are accepted
 * @param framing how requests and replies are delimited
 * @param maxFrameBytes the largest request
 * @param maxConnections open connections allowed
 * @param maxConnectionsPerSource open connections allowed per client address; 0 no cap
 * @param idleTimeout how long a connection may go without a complete request
 * @param maxQueuedReplyBytes replies a client may leave unread before reading pauses
 * @param rawFallbackAfter line framing: quiet before an unterminated first request makes
 * the connection raw; zero never
 * @param maxConnectionAge age at which connections are drained; zero never
 * @param memoryPressurePercent share of direct memory above which connections holding
 * more than their share are closed; 0 never
 * @param proxyProtocol whether and from whom connections may start with a PROXY header
 */
public record ListenerSettings(InetAddress bindAddress, int port, int backlog, Framing framing, int maxFrameBytes,
		int maxConnections, int maxConnectionsPerSource, Duration idleTimeout, int maxQueuedReplyBytes,
		Duration rawFallbackAfter, Duration maxConnectionAge, int memoryPressurePercent,
		ProxyProtocolSettings proxyProtocol) {

	/** The settings of a listener on {@code port}. */
	public static ListenerSettings of(TimestampProperties properties, int port) {
		TimestampProperties.Tcp tcp = properties.tcp();
		TimestampProperties.Tcp.ProxyProtocol proxy = tcp.proxyProtocol();
		return new ListenerSettings(BindAddress.effective(properties.bindAddress()), port, tcp.backlog(), tcp.framing(),
				(int) tcp.maxFrameBytes().toBytes(), tcp.maxConnections(), tcp.maxConnectionsPerSource(),
				tcp.idleTimeout(), (int) tcp.maxQueuedReplyBytes().toBytes(), tcp.rawFallbackAfter(),
				tcp.maxConnectionAge(), tcp.memoryPressurePercent(),
				new ProxyProtocolSettings(proxy.mode(), List.copyOf(proxy.trustedSources()), proxy.headerTimeout(),
						(int) proxy.maxTlvBytes().toBytes()));
	}

	/** These settings with another framing. */
	public ListenerSettings withFraming(Framing framing) {
		return new ListenerSettings(this.bindAddress, this.port, this.backlog, framing, this.maxFrameBytes,
				this.maxConnections, this.maxConnectionsPerSource, this.idleTimeout, this.maxQueuedReplyBytes,
				this.rawFallbackAfter, this.maxConnectionAge, this.memoryPressurePercent, this.proxyProtocol);
	}

}
