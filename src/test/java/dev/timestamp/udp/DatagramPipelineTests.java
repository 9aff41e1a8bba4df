package dev.timestamp.udp;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP socket's handlers, driven without a socket: admission drops and counts what is
 * not answered, the bridge hands the rest to the flow with the headers the reply needs.
 */
class DatagramPipelineTests {

	private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 21567);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final UdpMetrics metrics = new UdpMetrics(this.registry);

	private final List<Message<?>> toFlow = new ArrayList<>();

	private final AtomicLong now = new AtomicLong();

	@Test
	void admitsAnAcceptableDatagramToTheFlowWithItsSenderAndReplySocket() {
		EmbeddedChannel channel = pipeline(null);
		InetSocketAddress sender = new InetSocketAddress("127.0.0.9", 40000);
		channel.writeInbound(datagram("hello", sender));
		assertThat(this.toFlow).singleElement().satisfies((message) -> {
			assertThat((byte[]) message.getPayload()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
			assertThat(message.getHeaders().get(IpHeaders.PACKET_ADDRESS)).isEqualTo(sender);
			assertThat(message.getHeaders().get(UdpHeaders.REPLY_FROM)).isSameAs(channel);
		});
		assertThat(counter("timestamp.received")).isEqualTo(5);
		channel.finishAndReleaseAll();
	}

	@Test
	void dropsAndCountsADatagramOverTheLimit() {
		EmbeddedChannel channel = pipeline(null);
		channel.writeInbound(datagram("x".repeat(101), new InetSocketAddress("127.0.0.9", 40000)));
		assertThat(this.toFlow).isEmpty();
		assertThat(dropped("too_large")).isEqualTo(1);
		// dropped datagrams are received bytes all the same
		assertThat(counter("timestamp.received")).isEqualTo(101);
		channel.finishAndReleaseAll();
	}

	@Test
	void dropsAndCountsADatagramFromAPrivilegedSourcePort() {
		EmbeddedChannel channel = pipeline(null);
		channel.writeInbound(datagram("loop?", new InetSocketAddress("127.0.0.9", 7)));
		assertThat(this.toFlow).isEmpty();
		assertThat(dropped("privileged_source_port")).isEqualTo(1);
		channel.finishAndReleaseAll();
	}

	@Test
	void dropsASourceOverItsRateAndAdmitsItAgainOnceRefilled() {
		EmbeddedChannel channel = pipeline(new SourceRateLimiter(1, 2, 16));
		InetSocketAddress flooder = new InetSocketAddress("127.0.0.9", 40000);
		for (int i = 0; i < 5; i++) {
			channel.writeInbound(datagram("flood", flooder));
		}
		assertThat(this.toFlow).hasSize(2);
		assertThat(dropped("rate_limited")).isEqualTo(3);
		this.now.addAndGet(1_000_000_000L);
		channel.writeInbound(datagram("later", flooder));
		assertThat(this.toFlow).hasSize(3);
		channel.finishAndReleaseAll();
	}

	@Test
	void dropsADatagramWithoutWorkWhileItsReplySocketHoldsAllTheRepliesItMay() {
		EmbeddedChannel channel = pipeline(null);
		channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
		// replies the kernel has not taken yet
		channel.write(Unpooled.wrappedBuffer(new byte[16]));
		channel.writeInbound(datagram("hello", new InetSocketAddress("127.0.0.9", 40000)));
		assertThat(this.toFlow).isEmpty();
		assertThat(dropped("send_queue_full")).isEqualTo(1);
		assertThat(this.registry.get("timestamp.request.duration").timer().count()).as("requests timed").isZero();
		channel.finishAndReleaseAll();
	}

	@Test
	void countsAFailedSendAsADroppedDatagram() {
		EmbeddedChannel channel = pipeline(null);
		channel.pipeline().fireExceptionCaught(new PortUnreachableException("ICMP port unreachable"));
		assertThat(dropped("send_failed")).isEqualTo(1);
		assertThat(channel.isOpen()).isTrue();
		channel.finishAndReleaseAll();
	}

	private EmbeddedChannel pipeline(SourceRateLimiter limiter) {
		return new EmbeddedChannel(new DatagramAdmission(100, 1024, limiter, this.metrics, this.now::get, () -> true),
				new DatagramBridge(this.toFlow::add, (channel, packet) -> channel, this.metrics));
	}

	private static DatagramPacket datagram(String payload, InetSocketAddress sender) {
		return new DatagramPacket(Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII), SERVER, sender);
	}

	private double dropped(String reason) {
		return this.registry.get("timestamp.udp.datagrams.dropped").tag("reason", reason).counter().count();
	}

	private double counter(String name) {
		return this.registry.get(name).counter().count();
	}

}
