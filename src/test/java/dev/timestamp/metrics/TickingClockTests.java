package dev.timestamp.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TickingClockTests {

	private final AtomicLong systemWallTime = new AtomicLong(1_000);

	@Test
	void readsTheWallTimeOnlyWhenItTicks() throws InterruptedException {
		AtomicLong reads = new AtomicLong();
		try (TickingClock clock = new TickingClock(() -> {
			reads.incrementAndGet();
			return this.systemWallTime.get();
		}, Duration.ofHours(1))) {
			this.systemWallTime.set(2_000);
			for (int i = 0; i < 1_000; i++) {
				assertThat(clock.wallTime()).isEqualTo(1_000);
			}
			clock.tick();
			assertThat(clock.wallTime()).isEqualTo(2_000);
			assertThat(reads).hasValue(2);
		}
	}

	@Test
	void advancesOnItsOwn() throws InterruptedException {
		try (TickingClock clock = new TickingClock(this.systemWallTime::incrementAndGet, Duration.ofMillis(1))) {
			long first = clock.wallTime();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> clock.wallTime() > first);
		}
	}

	@Test
	void measuresDurationsWithTheSystemsMonotonicTime() throws InterruptedException {
		try (TickingClock clock = new TickingClock(this.systemWallTime::get, Duration.ofHours(1))) {
			long before = System.nanoTime();
			long read = clock.monotonicTime();
			assertThat(read).isBetween(before, System.nanoTime());
		}
	}

	@Test
	void stopsItsThreadWhenClosed() throws InterruptedException {
		TickingClock clock = new TickingClock(this.systemWallTime::get, Duration.ofMillis(1));
		assertThat(clock.isTicking()).isTrue();
		clock.close();
		assertThat(clock.isTicking()).isFalse();
	}

	@Test
	void expiresATimersMaximumAsItTicks() throws InterruptedException {
		try (TickingClock clock = new TickingClock(this.systemWallTime::get, Duration.ofHours(1))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
			Timer timer = Timer.builder("t").register(registry);
			timer.record(3, TimeUnit.MILLISECONDS);
			assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(3);
			this.systemWallTime.addAndGet(Duration.ofMinutes(3).toMillis());
			assertThat(timer.max(TimeUnit.MILLISECONDS)).as("before the tick").isEqualTo(3);
			clock.tick();
			assertThat(timer.max(TimeUnit.MILLISECONDS)).as("after the tick").isZero();
		}
	}

}
