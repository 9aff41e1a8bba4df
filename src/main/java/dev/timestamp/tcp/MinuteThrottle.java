package dev.timestamp.tcp;

import java.util.concurrent.TimeUnit;

/**
 * Lets an event through at most once a minute: for warnings that a flood would otherwise
 * repeat for every connection.
 */
final class MinuteThrottle {

	private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private volatile long nextNanos = System.nanoTime();

	/** Whether this event may go through; if so, the next may not for a minute. */
	boolean tryAcquire() {
		long now = System.nanoTime();
		if (now - this.nextNanos < 0) {
			return false;
		}
		this.nextNanos = now + INTERVAL_NANOS;
		return true;
	}

}
