package dev.timestamp.client;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

/**
 * A PROXY protocol header as a load balancer would send it before the client's bytes,
 * encoded by Netty's {@link HAProxyMessageEncoder}: lets {@code client} and {@code bench}
 * try the server's PROXY support without a proxy.
 */
public final class ProxyHeader {

	private ProxyHeader() {
	}

	/** The protocol version from {@code v1} or {@code v2}. */
	public static HAProxyProtocolVersion version(String name) {
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "v1", "1" -> HAProxyProtocolVersion.V1;
			case "v2", "2" -> HAProxyProtocolVersion.V2;
			default -> throw new IllegalArgumentException("'" + name + "' is not a PROXY protocol version (v1 or v2)");
		};
	}

	/**
	 * A {@code PROXY} header declaring {@code source} as the client of
	 * {@code destination}.
	 */
	public static byte[] proxy(HAProxyProtocolVersion version, InetSocketAddress source,
			InetSocketAddress destination) {
		boolean ipv4 = source.getAddress() instanceof Inet4Address;
		if (ipv4 != (destination.getAddress() instanceof Inet4Address)) {
			// One family for both, as a proxy would send: the destination follows the
			// source.
			destination = new InetSocketAddress(ipv4 ? "0.0.0.0" : "::", destination.getPort());
		}
		HAProxyMessage message = new HAProxyMessage(version, HAProxyCommand.PROXY,
				ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
				NetUtil.toAddressString(source.getAddress()), NetUtil.toAddressString(destination.getAddress()),
				source.getPort(), destination.getPort());
		return encode(message);
	}

	/** A v2 {@code LOCAL} header: the proxy speaking for itself, as in a health check. */
	public static byte[] local() {
		return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
				HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
	}

	private static byte[] encode(HAProxyMessage message) {
		EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
		try {
			encoder.writeOutbound(message);
			ByteBuf encoded = encoder.readOutbound();
			try {
				return ByteBufUtil.getBytes(encoded);
			}
			finally {
				encoded.release();
			}
		}
		finally {
			encoder.finishAndReleaseAll();
		}
	}

}
