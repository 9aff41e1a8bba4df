package dev.timestamp.udp;

import java.net.InetSocketAddress;

import dev.timestamp.metrics.RequestMetrics;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;

/**
 * Sends each reply to its request's sender, from the socket the request arrived on: a reply
 * from any other port would not get back through NAT or kube-proxy. On the event loop the
 * write is flushed once per read batch by the inbound endpoint.
 */
public class UdpReplyHandler extends AbstractMessageHandler {

	private final UdpInboundEndpoint inbound;

	private final RequestMetrics metrics;

	public UdpReplyHandler(UdpInboundEndpoint inbound, RequestMetrics metrics) {
		this.inbound = inbound;
		this.metrics = metrics;
	}

	@Override
	public String getComponentType() {
		return "udp-outbound-channel-adapter";
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		InetSocketAddress recipient = message.getHeaders().get(IpHeaders.PACKET_ADDRESS, InetSocketAddress.class);
		Channel channel = this.inbound.channel();
		if (recipient == null || !(message.getPayload() instanceof byte[] reply)) {
			throw new MessageHandlingException(message, "A UDP reply needs a byte[] payload and an ip_packetAddress header");
		}
		if (channel == null || !channel.isActive()) {
			return;
		}
		// Straight into a direct buffer: the socket would copy a heap buffer into one anyway.
		DatagramPacket packet = new DatagramPacket(channel.alloc().directBuffer(reply.length).writeBytes(reply),
				recipient);
		this.metrics.answeredCount(1);
		this.metrics.sent(reply.length);
		if (channel.eventLoop().inEventLoop()) {
			channel.write(packet, channel.voidPromise());
		}
		else {
			channel.writeAndFlush(packet, channel.voidPromise());
		}
	}

}
