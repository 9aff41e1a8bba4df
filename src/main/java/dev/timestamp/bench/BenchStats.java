package dev.timestamp.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the load connections report, from any event-loop thread. Latencies are recorded
 * only inside the measurement window; every good reply counts in {@link #totalAnswered}.
 */
final class BenchStats {

	private final Recorder recorder = new Recorder(3);

	private final Histogram window = new Histogram(3);

	private volatile boolean measuring;

	final LongAdder windowRequests = new LongAdder();

	final LongAdder totalAnswered = new LongAdder();

	final LongAdder badReplies = new LongAdder();

	final LongAdder disconnects = new LongAdder();

	final LongAdder connectFailures = new LongAdder();

	final LongAdder timeouts = new LongAdder();

	final LongAdder lost = new LongAdder();

	final LongAdder late = new LongAdder();

	void answered(long latencyNanos) {
		this.totalAnswered.increment();
		if (this.measuring) {
			this.windowRequests.increment();
			this.recorder.recordValue(Math.max(1, latencyNanos));
		}
	}

	void startWindow() {
		this.recorder.reset();
		this.measuring = true;
	}

	void endWindow() {
		this.measuring = false;
	}

	/**
	 * Latencies recorded since the last call, also kept for the final report. Called by
	 * one thread.
	 */
	Histogram interval() {
		Histogram interval = this.recorder.getIntervalHistogram();
		this.window.add(interval);
		return interval;
	}

	Histogram window() {
		interval();
		return this.window;
	}

	long errors() {
		return this.badReplies.sum() + this.disconnects.sum() + this.connectFailures.sum();
	}

	static double micros(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? 0
				: histogram.getValueAtPercentile(percentile) / (double) TimeUnit.MICROSECONDS.toNanos(1);
	}

}
