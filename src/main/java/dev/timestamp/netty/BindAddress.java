package dev.timestamp.netty;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

import io.netty.util.NetUtil;

/**
 * What the listeners really bind. The default {@code 0.0.0.0} means every address: where
 * the host has IPv6, that is the IPv6 wildcard {@code ::}, a dual-stack socket that takes
 * IPv4 clients too. Netty's epoll transport did this on its own while the NIO fallback
 * bound IPv4 only; binding {@code ::} explicitly makes both transports alike, and the
 * logs, health and info report what is bound.
 */
public final class BindAddress {

	private static final boolean IPV6 = ipv6Available();

	private BindAddress() {
	}

	/** The address to bind for the configured one. */
	public static InetAddress effective(InetAddress configured) {
		if (configured instanceof Inet4Address && configured.isAnyLocalAddress() && IPV6) {
			return anyIpv6();
		}
		return configured;
	}

	/** {@code [::]:21567 (every IPv4 and IPv6 address)}, {@code 127.0.0.1:21567}. */
	public static String describe(InetAddress bound, int port) {
		String address = NetUtil.toSocketAddressString(new InetSocketAddress(bound, port));
		if (!bound.isAnyLocalAddress()) {
			return address;
		}
		return address + ((bound instanceof Inet6Address) ? " (every IPv4 and IPv6 address)" : " (every IPv4 address)");
	}

	private static InetAddress anyIpv6() {
		try {
			return InetAddress.getByName("::");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean ipv6Available() {
		if (NetUtil.isIpV4StackPreferred()) {
			return false;
		}
		ProtocolFamily inet6 = StandardProtocolFamily.INET6;
		try (DatagramChannel probe = DatagramChannel.open(inet6)) {
			return true;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

}
