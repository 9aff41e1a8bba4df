package dev.timestamp.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --proxy-protocol} and {@code --proxy-source}: start each TCP connection with a
 * PROXY header, as a load balancer would, to try or measure the server's PROXY support
 * without one.
 */
public class ProxyOptions {

	@Option(names = "--proxy-protocol", paramLabel = "v1|v2", converter = VersionConverter.class,
			description = "TCP: start each connection with a PROXY protocol header of this version.")
	@Nullable HAProxyProtocolVersion version;

	@Option(names = "--proxy-source", paramLabel = "ADDR:PORT", defaultValue = "203.0.113.1:40000",
			converter = AddressConverter.class,
			description = "TCP: the client address the PROXY header declares (default: ${DEFAULT-VALUE}).")
	InetSocketAddress source = new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString("203.0.113.1"),
			40000);

	public boolean enabled() {
		return this.version != null;
	}

	/**
	 * The header for a connection to {@code server}, or {@code null} when none is sent.
	 */
	public byte @Nullable [] header(InetSocketAddress server) {
		return (this.version != null) ? ProxyHeader.proxy(this.version, this.source, server) : null;
	}

	/** {@code v1} or {@code v2}. */
	static class VersionConverter implements ITypeConverter<HAProxyProtocolVersion> {

		@Override
		public HAProxyProtocolVersion convert(String value) {
			try {
				return ProxyHeader.version(value);
			}
			catch (IllegalArgumentException ex) {
				throw new TypeConversionException(ex.getMessage());
			}
		}

	}

	/** {@code 203.0.113.7:40001} or {@code [2001:db8::7]:40001}: a literal address. */
	static class AddressConverter implements ITypeConverter<InetSocketAddress> {

		@Override
		public InetSocketAddress convert(String value) {
			int colon = value.lastIndexOf(':');
			if (colon <= 0) {
				throw new TypeConversionException("'" + value + "' is not ADDRESS:PORT");
			}
			String host = value.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
			if (address == null) {
				throw new TypeConversionException("'" + host + "' is not an IP address");
			}
			return new InetSocketAddress(address, new PortConverter().convert(value.substring(colon + 1)));
		}

	}

}
