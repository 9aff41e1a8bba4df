package dev.timestamp.metrics;

/**
 * Times the requests of one channel with one clock read each: within a read, a request's
 * time runs from the previous request's answer, so it also covers the framing of the
 * request; the first request of a read starts its own clock. A pipelining client sends
 * many requests per read, and clock reads were a tenth of a request's CPU time there.
 * <p>
 * One per channel, used on its event loop only.
 */
public final class ReadTiming {

	private final RequestMetrics metrics;

	private long answeredAt;

	private boolean answeredInThisRead;

	public ReadTiming(RequestMetrics metrics) {
		this.metrics = metrics;
	}

	/** When the next request's time starts. */
	public long start() {
		return this.answeredInThisRead ? this.answeredAt : System.nanoTime();
	}

	/** The request timed from {@code start} has been answered. */
	public void answered(long start) {
		long now = System.nanoTime();
		this.metrics.answered(now - start);
		this.answeredAt = now;
		this.answeredInThisRead = true;
	}

	/** The read is over: the next request starts its own clock. */
	public void readComplete() {
		this.answeredInThisRead = false;
	}

}
