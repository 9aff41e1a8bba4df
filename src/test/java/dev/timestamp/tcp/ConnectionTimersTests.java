package dev.timestamp.tcp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionTimers} on an embedded channel, whose clock the test advances.
 */
class ConnectionTimersTests {

	private static final long IDLE = Duration.ofSeconds(10).toNanos();

	@Test
	void closesAConnectionWithoutACompleteRequestForTheIdleTimeout() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, new ConnectionTimers(IDLE, 0));
		advance(connection, 9);
		assertThat(connection.channel.isOpen()).isTrue();
		advance(connection, 1);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.IDLE);
	}

	@Test
	void eachReadBatchWithARequestRestartsTheIdleClock() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, new ConnectionTimers(IDLE, 0));
		for (int i = 0; i < 5; i++) {
			advance(connection, 8);
			connection.channel.pipeline().fireChannelRead(new byte[] { 'x' });
			connection.channel.pipeline().fireChannelReadComplete();
		}
		assertThat(connection.channel.isOpen()).isTrue();
		assertThat(connection.recorder.messages).hasSize(5);
	}

	@Test
	void drainsAConnectionAtItsMaximumAge() {
		long maxAge = Duration.ofSeconds(60).toNanos();
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new ConnectionTimers(Duration.ofHours(1).toNanos(), maxAge));
		advance(connection, 53);
		assertThat(connection.channel.isOpen()).isTrue();
		advance(connection, 14);
		assertThat(connection.closeReason()).isEqualTo(CloseReason.MAX_AGE);
		assertThat(connection.channel.isOpen()).isFalse();
	}

	@Test
	void maxAgeIsSpreadTenPercentEitherWay() {
		long maxAge = Duration.ofMinutes(10).toNanos();
		assertThat(ConnectionTimers.jittered(maxAge, 0.0)).isEqualTo(Duration.ofMinutes(9).toNanos());
		assertThat(ConnectionTimers.jittered(maxAge, 0.5)).isEqualTo(maxAge);
		assertThat(ConnectionTimers.jittered(maxAge, 0.999999)).isLessThan(Duration.ofMinutes(11).toNanos())
			.isGreaterThan(Duration.ofSeconds(659).toNanos());
	}

	private static void advance(EmbeddedConnection connection, long seconds) {
		connection.channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
		connection.channel.runScheduledPendingTasks();
	}

}
