package dev.timestamp.udp;

import java.net.InetSocketAddress;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replies a UDP socket holds while the kernel does not take them, driven without a
 * socket: the replies of one read batch are written before the batch's flush, so an
 * unflushed batch stands for replies the kernel has refused.
 */
class UdpReplyQueueTests {

	/** The largest reply UDP carries over IPv4. */
	private static final byte[] LARGEST_REPLY = new byte[UdpReplyHandler.IPV4_LARGEST_DATAGRAM];

	private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.9", 40000);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final UdpReplyHandler handler = new UdpReplyHandler(new UdpMetrics(this.registry));

	private final EmbeddedChannel socket = new EmbeddedChannel();

	UdpReplyQueueTests() {
		this.socket.config().setWriteBufferWaterMark(DatagramSockets.REPLY_QUEUE);
	}

	@AfterEach
	void release() {
		this.socket.finishAndReleaseAll();
	}

	@Test
	void holdsAWholeReadBatchOfTheLargestReplies() {
		replyTimes(DatagramSockets.RECEIVE_BATCH);
		assertThat(dropped()).isZero();
		this.socket.flush();
		assertThat(this.socket.outboundMessages()).hasSize(DatagramSockets.RECEIVE_BATCH);
		assertThat(answered()).isEqualTo(DatagramSockets.RECEIVE_BATCH);
	}

	@Test
	void dropsAndCountsRepliesPastABatchTheKernelHasNotTaken() {
		replyTimes(DatagramSockets.RECEIVE_BATCH + 5);
		assertThat(dropped()).isEqualTo(5);
		assertThat(answered()).isEqualTo(DatagramSockets.RECEIVE_BATCH);
		this.socket.flush();
		assertThat(this.socket.outboundMessages()).hasSize(DatagramSockets.RECEIVE_BATCH);
	}

	@Test
	void sendsAgainOnceTheKernelHasTakenWhatItHeld() {
		replyTimes(DatagramSockets.RECEIVE_BATCH + 1);
		this.socket.flush();
		replyTimes(1);
		this.socket.flush();
		assertThat(this.socket.outboundMessages()).hasSize(DatagramSockets.RECEIVE_BATCH + 1);
		assertThat(dropped()).isEqualTo(1);
	}

	private void replyTimes(int count) {
		Message<byte[]> reply = MessageBuilder.withPayload(LARGEST_REPLY)
			.setHeader(IpHeaders.PACKET_ADDRESS, SENDER)
			.setHeader(UdpHeaders.REPLY_FROM, this.socket)
			.build();
		for (int i = 0; i < count; i++) {
			this.handler.handleMessage(reply);
		}
	}

	private double dropped() {
		return this.registry.get("timestamp.udp.datagrams.dropped").tag("reason", "send_queue_full").counter().count();
	}

	private double answered() {
		return this.registry.get("timestamp.requests").tag("transport", "udp").tag("outcome", "ok").counter().count();
	}

}
