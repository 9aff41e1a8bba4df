package dev.timestamp.tcp.connection;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;

/**
 * Who a connection serves: the peer, or the client a trusted proxy declared in a PROXY
 * header. Everything that names or counts a connection's client uses this address.
 */
public final class ClientAddress {

	private static final AttributeKey<InetSocketAddress> DECLARED = AttributeKey.valueOf(ClientAddress.class,
			"declared");

	private ClientAddress() {
	}

	public static InetSocketAddress of(Channel channel) {
		// hasAttr first: attr() would add an attribute to every connection without a
		// proxy, which an idle connection pays for in memory.
		InetSocketAddress declared = channel.hasAttr(DECLARED) ? channel.attr(DECLARED).get() : null;
		return (declared != null) ? declared : (InetSocketAddress) channel.remoteAddress();
	}

	/** Whether a proxy declared the address (then {@code remoteAddress} is the proxy). */
	public static boolean isDeclared(Channel channel) {
		return channel.hasAttr(DECLARED) && channel.attr(DECLARED).get() != null;
	}

	public static void declare(Channel channel, InetSocketAddress client) {
		channel.attr(DECLARED).set(client);
	}

	/** The client, and the proxy it came through if any, for logs. */
	public static String describe(Channel channel) {
		String client = text(of(channel));
		return isDeclared(channel) ? client + " (via " + text((InetSocketAddress) channel.remoteAddress()) + ")"
				: client;
	}

	/** {@code 203.0.113.7:40001}, {@code [2001:db8::7]:40001}. */
	public static String text(InetSocketAddress address) {
		return NetUtil.toSocketAddressString(address);
	}

}
