package dev.timestamp.udp;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

import dev.timestamp.metrics.RequestMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;

/**
 * Sends each reply to its request's sender, from the address and port the request was
 * sent to ({@link UdpHeaders#REPLY_FROM}): a reply from any other port would not get back
 * through NAT or kube-proxy, and a connected client drops a reply from another address.
 * On the event loop the write is flushed once per read batch by the inbound endpoint.
 * <p>
 * A reply is its request plus the stamp, so near the largest datagram UDP carries a
 * request can fit where its reply cannot; such a reply is dropped and counted as too
 * large rather than handed to a socket that would refuse it.
 * <p>
 * When the network carries replies more slowly than requests arrive, the kernel refuses
 * sends once the socket's send buffer is full, and Netty keeps what it could not send.
 * Past {@link DatagramSockets#REPLY_QUEUE} a reply is dropped and counted, as a C server
 * would drop it on {@code EAGAIN}: queueing it would only fill direct memory, which every
 * other connection needs.
 */
public class UdpReplyHandler extends AbstractMessageHandler {

	/** 65,535 bytes less the IPv4 and UDP headers. */
	static final int IPV4_LARGEST_DATAGRAM = 65_507;

	/**
	 * 65,535 bytes less the UDP header: IPv6's payload length does not count its header.
	 */
	static final int IPV6_LARGEST_DATAGRAM = 65_527;

	private final UdpMetrics udpMetrics;

	private final RequestMetrics metrics;

	public UdpReplyHandler(UdpMetrics metrics) {
		this.udpMetrics = metrics;
		this.metrics = metrics.requests();
	}

	@Override
	public String getComponentType() {
		return "udp-outbound-channel-adapter";
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		InetSocketAddress recipient = message.getHeaders().get(IpHeaders.PACKET_ADDRESS, InetSocketAddress.class);
		Object from = message.getHeaders().get(UdpHeaders.REPLY_FROM);
		if (recipient == null || from == null || !(message.getPayload() instanceof byte[] reply)) {
			throw new MessageHandlingException(message, "A UDP reply needs a byte[] payload, an ip_packetAddress and a "
					+ UdpHeaders.REPLY_FROM + " header");
		}
		if (reply.length > largestDatagram(recipient)) {
			this.udpMetrics.dropped(DropReason.TOO_LARGE);
			return;
		}
		if (from instanceof Channel channel) {
			// The socket the request arrived on: flushed once per read batch by the
			// endpoint.
			send(channel, reply, recipient, channel.eventLoop().inEventLoop());
		}
		else {
			// A socket for the request's destination address, bound (or being bound) now.
			ChannelFuture bound = (ChannelFuture) from;
			bound.addListener((done) -> {
				if (done.isSuccess()) {
					send(bound.channel(), reply, recipient, false);
				}
			});
		}
	}

	private void send(Channel channel, byte[] reply, InetSocketAddress recipient, boolean flushedLater) {
		if (!channel.isActive()) {
			return;
		}
		if (!channel.isWritable()) {
			this.udpMetrics.dropped(DropReason.SEND_QUEUE_FULL);
			return;
		}
		this.metrics.answeredCount(1);
		this.metrics.sent(reply.length);
		// Straight into a direct buffer: the socket would copy a heap buffer into one
		// anyway.
		DatagramPacket packet = new DatagramPacket(channel.alloc().directBuffer(reply.length).writeBytes(reply),
				recipient);
		if (flushedLater) {
			channel.write(packet, channel.voidPromise());
		}
		else {
			channel.writeAndFlush(packet, channel.voidPromise());
		}
	}

	private static int largestDatagram(InetSocketAddress recipient) {
		// An IPv4-mapped IPv6 sender is an Inet4Address here, and its replies go over
		// IPv4.
		return (recipient.getAddress() instanceof Inet4Address) ? IPV4_LARGEST_DATAGRAM : IPV6_LARGEST_DATAGRAM;
	}

}
