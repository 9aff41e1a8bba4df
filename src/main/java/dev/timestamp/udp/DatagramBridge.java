package dev.timestamp.udp;

import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.timestamp.messaging.RequestHeaders;
import dev.timestamp.metrics.ReadTiming;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Last on a UDP socket's pipeline: each admitted datagram becomes a message to the flow,
 * on this event loop, with the sender and the socket the reply leaves from as headers;
 * the replies the flow wrote are flushed once per read batch. A datagram whose reply
 * socket holds all the replies it may ({@link DatagramSockets#REPLY_QUEUE}) is dropped
 * here, before any work.
 */
final class DatagramBridge extends SimpleChannelInboundHandler<DatagramPacket> {

	private static final Log log = LogFactory.getLog("dev.timestamp.udp");

	private final Consumer<Message<?>> flow;

	private final BiFunction<Channel, DatagramPacket, @Nullable Object> replyFrom;

	private final UdpMetrics metrics;

	private final ReadTiming timing;

	DatagramBridge(Consumer<Message<?>> flow, BiFunction<Channel, DatagramPacket, @Nullable Object> replyFrom,
			UdpMetrics metrics) {
		this.flow = flow;
		this.replyFrom = replyFrom;
		this.metrics = metrics;
		this.timing = new ReadTiming(metrics.requests());
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
		Object replyFrom = this.replyFrom.apply(ctx.channel(), packet);
		if (replyFrom == null) {
			// No socket for the address asked, and no place for another.
			this.metrics.dropped(DropReason.ADDRESS_SOCKETS);
			return;
		}
		if (replyFrom instanceof Channel socket && !socket.isWritable()) {
			// The reply would be dropped (UdpReplyHandler): spare the work, and the timer
			// counts answered requests only.
			this.metrics.dropped(DropReason.SEND_QUEUE_FULL);
			return;
		}
		byte[] payload = ByteBufUtil.getBytes(packet.content());
		long start = this.timing.start();
		this.flow.accept(new GenericMessage<>(payload,
				RequestHeaders.of(IpHeaders.PACKET_ADDRESS, packet.sender(), UdpHeaders.REPLY_FROM, replyFrom)));
		this.timing.answered(start);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.timing.readComplete();
		ctx.flush();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// A failed send (for example ICMP port unreachable) concerns one datagram, never
		// the socket.
		this.metrics.dropped(DropReason.SEND_FAILED);
		if (log.isDebugEnabled()) {
			log.debug("UDP error: " + cause);
		}
	}

}
