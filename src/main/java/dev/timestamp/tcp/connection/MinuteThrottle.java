package dev.timestamp.tcp.connection;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets an event through at most once a minute, for warnings that a flood would otherwise
 * repeat for every connection, and counts the ones it holds back so that the next warning
 * can say how many there were.
 */
public final class MinuteThrottle {

	/** Returned by {@link #pass()} for an event held back. */
	public static final long HELD_BACK = -1;

	private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final LongSupplier clock;

	private long nextNanos;

	private long heldBack;

	public MinuteThrottle() {
		this(System::nanoTime);
	}

	public MinuteThrottle(LongSupplier clock) {
		this.clock = clock;
		this.nextNanos = clock.getAsLong();
	}

	/**
	 * {@link #HELD_BACK} when this event may not go through; otherwise how many were held
	 * back since the last one that went through (the next may not for a minute).
	 */
	public synchronized long pass() {
		long now = this.clock.getAsLong();
		if (now - this.nextNanos < 0) {
			this.heldBack++;
			return HELD_BACK;
		}
		this.nextNanos = now + INTERVAL_NANOS;
		long held = this.heldBack;
		this.heldBack = 0;
		return held;
	}

	/**
	 * The end of a throttled warning: how often it repeats and, when some were held back,
	 * how many.
	 */
	public static String repeats(long heldBack) {
		return (heldBack > 0)
				? " (this warning repeats at most once a minute; " + heldBack + " more since the last one)"
				: " (this warning repeats at most once a minute)";
	}

}
