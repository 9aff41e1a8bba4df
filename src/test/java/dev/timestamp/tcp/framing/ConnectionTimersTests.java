package dev.timestamp.tcp.framing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's clocks, {@link IdleTimeout} and {@link MaxConnectionAge}, on an embedded
 * channel whose clock the test advances.
 */
class ConnectionTimersTests {

	private static final long IDLE = Duration.ofSeconds(10).toNanos();

	@Test
	void closesAConnectionWithoutACompleteRequestForTheIdleTimeout() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, new IdleTimeout(IDLE));
		assertClosedAsIdleTenSecondsFromNow(connection);
	}

	@Test
	void eachReadBatchWithARequestRestartsTheIdleClock() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, new IdleTimeout(IDLE));
		for (int i = 0; i < 5; i++) {
			advance(connection, 8);
			connection.channel.pipeline().fireChannelRead(new byte[] { 'x' });
			connection.channel.pipeline().fireChannelReadComplete();
		}
		assertThat(connection.channel.isOpen()).isTrue();
		assertThat(connection.recorder.messages).hasSize(5);
	}

	@Test
	void eachReadBatchTheBridgeReportsRestartsTheIdleClock() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, new IdleTimeout(IDLE));
		for (int i = 0; i < 5; i++) {
			advance(connection, 8);
			connection.channel.pipeline().fireUserEventTriggered(IdleTimeout.REQUESTS_READ);
		}
		assertThat(connection.channel.isOpen()).isTrue();
		assertClosedAsIdleTenSecondsFromNow(connection);
	}

	@Test
	void theIdleClockStartsWhenTheConnectionBecomesActiveForTheFlow() {
		// As a TLS handshake or a PROXY header holds a connection back after accept.
		ChannelInboundHandlerAdapter holdBack = new ChannelInboundHandlerAdapter() {
			@Override
			public void channelActive(ChannelHandlerContext ctx) {
			}
		};
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, holdBack, new IdleTimeout(IDLE));
		advance(connection, 15);
		assertThat(connection.channel.isOpen()).isTrue();
		connection.channel.pipeline().context(holdBack).fireChannelActive();
		assertClosedAsIdleTenSecondsFromNow(connection);
	}

	@Test
	void drainsAConnectionAtItsMaximumAge() {
		long maxAge = Duration.ofSeconds(60).toNanos();
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new IdleTimeout(Duration.ofHours(1).toNanos()), new MaxConnectionAge(maxAge));
		advance(connection, 53);
		assertThat(connection.channel.isOpen()).isTrue();
		advance(connection, 14);
		assertThat(connection.closeReason()).isEqualTo(CloseReason.MAX_AGE);
		assertThat(connection.channel.isOpen()).isFalse();
	}

	@Test
	void maxAgeIsSpreadTenPercentEitherWay() {
		long maxAge = Duration.ofMinutes(10).toNanos();
		assertThat(MaxConnectionAge.jittered(maxAge, 0.0)).isEqualTo(Duration.ofMinutes(9).toNanos());
		assertThat(MaxConnectionAge.jittered(maxAge, 0.5)).isEqualTo(maxAge);
		assertThat(MaxConnectionAge.jittered(maxAge, 0.999999)).isLessThan(Duration.ofMinutes(11).toNanos())
			.isGreaterThan(Duration.ofSeconds(659).toNanos());
	}

	/** Open 9 s from now, closed as idle 10 s from now ({@link #IDLE}). */
	private static void assertClosedAsIdleTenSecondsFromNow(EmbeddedConnection connection) {
		advance(connection, 9);
		assertThat(connection.channel.isOpen()).isTrue();
		advance(connection, 1);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.IDLE);
	}

	private static void advance(EmbeddedConnection connection, long seconds) {
		connection.channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
		connection.channel.runScheduledPendingTasks();
	}

}
