package dev.timestamp.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.framing.Framing;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.tcp.admission.ConnectionAccounting;
import dev.timestamp.tcp.admission.ConnectionLimits;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.proxy.ProxyProtocolSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionBridge} and {@link ConnectionAccounting} on an embedded channel, with
 * a connection factory that is never started: requests become messages that carry the
 * client's address, replies are batched until the end of the read, and counts add up.
 */
class ConnectionBridgeTests {

	private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 40001);

	private final EventLoops loops = new EventLoops(1, "bridge-test");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TcpMetrics metrics = new TcpMetrics(this.registry);

	private final List<Message<?>> received = new ArrayList<>();

	private final NettyTcpServerConnectionFactory factory = new NettyTcpServerConnectionFactory(this.loops,
			new DescriptorBudget(), this.metrics,
			new ListenerSettings(InetAddress.getLoopbackAddress(), 0, 16, Framing.LINE, 64, 10, 0,
					Duration.ofMinutes(5), 64 * 1024, Duration.ZERO, Duration.ZERO, 0, ProxyProtocolSettings.OFF));

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	@BeforeEach
	void startFactory() {
		// Spring Integration closes connections of a factory that is not running.
		this.scheduler.initialize();
		this.factory.setTaskScheduler(this.scheduler);
		this.factory.setApplicationEventPublisher((event) -> {
		});
		this.factory.start();
	}

	@AfterEach
	void stopFactory() {
		this.factory.stop();
		this.scheduler.shutdown();
		this.loops.close();
	}

	@Test
	void aRequestBecomesAMessageWithTheClientsAddressAndItsReplyLeavesAtTheEndOfTheRead() {
		this.factory.registerListener((message) -> {
			this.received.add(message);
			this.factory.liveConnections()
				.get(0)
				.send(new GenericMessage<>("reply".getBytes(StandardCharsets.US_ASCII)));
		});
		EmbeddedConnection connection = EmbeddedConnection.from("10.0.0.5", 3333, new DeclaredClient(),
				new ConnectionBridge(this.factory, this.metrics.requests()));
		connection.channel.pipeline().fireChannelRead("hello".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.received).hasSize(1);
		assertThat(this.received.get(0).getHeaders()).containsEntry(IpHeaders.IP_ADDRESS, "203.0.113.7")
			.containsKey(IpHeaders.CONNECTION_ID);
		// Batched: nothing is written before the read ends.
		assertThat((Object) connection.channel.readOutbound()).isNull();
		connection.channel.pipeline().fireChannelReadComplete();
		ByteBuf reply = connection.channel.readOutbound();
		assertThat(reply.toString(StandardCharsets.US_ASCII)).isEqualTo("reply\r\n");
		reply.release();
		assertThat(this.registry.get("timestamp.requests").tag("outcome", "ok").counter().count()).isEqualTo(1);
	}

	@Test
	void theClientClosingItsSideEndsTheConnectionAndTheCountsAddUp() {
		ConnectionLimits limits = new ConnectionLimits(10, 0);
		EmbeddedConnection connection = EmbeddedConnection.from("10.0.0.5", 3333,
				new ConnectionAccounting(limits, this.metrics, () -> {
				}), new ConnectionBridge(this.factory, this.metrics.requests()));
		assertThat(limits.open()).isEqualTo(1);
		connection.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		connection.channel.runPendingTasks();
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(limits.open()).isZero();
		assertThat(this.registry.get("timestamp.tcp.connections.opened").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("timestamp.tcp.connections.closed").tag("reason", "client").counter().count())
			.isEqualTo(1);
		assertThat(this.factory.liveConnections()).isEmpty();
	}

	@Test
	void anAllocationFailureClosesTheConnectionAtOnceAsMemory() {
		// As over TLS, where even an empty flush allocates (to encrypt).
		EmbeddedConnection connection = EmbeddedConnection.from("10.0.0.5", 3333,
				new FailingFlush(new OutOfMemoryError("Cannot reserve 16384 bytes of direct buffer memory")),
				new ConnectionBridge(this.factory, this.metrics.requests()));
		connection.channel.pipeline()
			.fireExceptionCaught(new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory"));
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void aFailureWhileTheConnectionEndsClosesItAtOnceRatherThanEndingAgain() {
		EmbeddedConnection connection = EmbeddedConnection.from("10.0.0.5", 3333,
				new FailingFlush(new IllegalStateException("the TLS engine is closed")),
				new ConnectionBridge(this.factory, this.metrics.requests()));
		ConnectionEnd.close(connection.channel, CloseReason.IDLE);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.IDLE);
	}

	/** A flush that fails, as TLS's does when it cannot allocate or encrypt. */
	private static final class FailingFlush extends ChannelOutboundHandlerAdapter {

		private final Throwable failure;

		FailingFlush(Throwable failure) {
			this.failure = failure;
		}

		@Override
		public void flush(ChannelHandlerContext ctx) {
			PlatformDependent.throwException(this.failure);
		}

	}

	/** Stands in for a PROXY header that declared {@link #CLIENT}. */
	private static final class DeclaredClient extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ClientAddress.declare(ctx.channel(), CLIENT);
			ctx.fireChannelActive();
		}

	}

}
