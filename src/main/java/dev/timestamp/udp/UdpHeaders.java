package dev.timestamp.udp;

/**
 * The UDP flow's own message header.
 */
public final class UdpHeaders {

	/**
	 * Where the reply leaves from: the Netty {@code Channel} the request arrived on, or a
	 * {@code ChannelFuture} of the socket being bound to the address the request was sent
	 * to.
	 */
	public static final String REPLY_FROM = "timestamp_udpReplyFrom";

	private UdpHeaders() {
	}

}
