package dev.timestamp.tcp.connection;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MinuteThrottle} on a clock the test sets: one event a minute goes through, and
 * it tells how many were held back before it.
 */
class MinuteThrottleTests {

	@Test
	void letsOneEventAMinuteThroughAndCountsTheOnesHeldBack() {
		AtomicLong now = new AtomicLong(1_000);
		MinuteThrottle throttle = new MinuteThrottle(now::get);
		assertThat(throttle.pass()).isZero();
		for (int i = 0; i < 3; i++) {
			now.addAndGet(TimeUnit.SECONDS.toNanos(10));
			assertThat(throttle.pass()).isEqualTo(MinuteThrottle.HELD_BACK);
		}
		now.addAndGet(TimeUnit.SECONDS.toNanos(31));
		assertThat(throttle.pass()).isEqualTo(3);
		assertThat(throttle.pass()).isEqualTo(MinuteThrottle.HELD_BACK);
	}

	@Test
	void aWarningSaysHowManyWereHeldBack() {
		assertThat(MinuteThrottle.repeats(0)).isEqualTo(" (this warning repeats at most once a minute)");
		assertThat(MinuteThrottle.repeats(7)).contains("7 more since the last one");
	}

}
