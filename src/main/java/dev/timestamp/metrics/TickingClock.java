package dev.timestamp.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Clock;

/**
 * Micrometer's clock, with a wall time that one daemon thread advances every
 * {@link #TICK}. Every timer record reads the wall time twice, to ask whether the
 * decaying maximum and the histogram are due to rotate, and on this kind of machine a
 * clock read is about two thirds of a record's cost. Those windows span tens of seconds,
 * so a wall time up to a tick old changes nothing a scrape shows. Durations are measured
 * with the monotonic time, which stays the system's.
 */
public final class TickingClock implements Clock, AutoCloseable {

	/** How old the wall time can be. */
	public static final Duration TICK = Duration.ofMillis(100);

	private final LongSupplier wallClock;

	private final ScheduledExecutorService ticker;

	private volatile long wallTime;

	public TickingClock() {
		this(System::currentTimeMillis, TICK);
	}

	TickingClock(LongSupplier wallClock, Duration tick) {
		this.wallClock = wallClock;
		this.wallTime = wallClock.getAsLong();
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "metrics-clock");
			thread.setDaemon(true);
			return thread;
		});
		this.ticker.scheduleAtFixedRate(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public long wallTime() {
		return this.wallTime;
	}

	@Override
	public long monotonicTime() {
		return System.nanoTime();
	}

	void tick() {
		this.wallTime = this.wallClock.getAsLong();
	}

	boolean isTicking() {
		return !this.ticker.isTerminated();
	}

	@Override
	public void close() throws InterruptedException {
		this.ticker.shutdownNow();
		this.ticker.awaitTermination(1, TimeUnit.SECONDS);
	}

}
