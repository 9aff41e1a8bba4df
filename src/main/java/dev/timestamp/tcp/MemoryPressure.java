package dev.timestamp.tcp;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.timestamp.netty.DirectMemory;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Whether direct memory is short: in use above
 * {@code timestamp.tcp.memory-pressure-percent} of its limit. Each connection stays
 * within its own limits, but together enough of them can fill direct memory, after which
 * an allocation fails for whichever connection needs one next, a good client's as likely
 * as not. Before that, a connection that holds more than {@link #SHED_ABOVE_BYTES}
 * (replies its client is not reading, an unfinished request) is closed, so that the
 * memory goes to the clients that read.
 */
final class MemoryPressure {

	/**
	 * What a connection may hold while memory is short: unread replies and a partial
	 * request.
	 */
	static final int SHED_ABOVE_BYTES = 64 * 1024;

	/** Never short: connections are closed by their own limits only. */
	static final MemoryPressure NEVER = new MemoryPressure(Long.MAX_VALUE, 0, () -> 0);

	private static final Log logger = LogFactory.getLog(MemoryPressure.class);

	/** At most one WARN a minute. */
	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final long thresholdBytes;

	private final int percent;

	private final LongSupplier used;

	private volatile long nextWarnNanos = System.nanoTime();

	MemoryPressure(long thresholdBytes, int percent, LongSupplier used) {
		this.thresholdBytes = thresholdBytes;
		this.percent = percent;
		this.used = used;
	}

	/** Short above {@code percent} of the JVM's direct memory limit; 0 is never. */
	static MemoryPressure ofDirectMemory(int percent) {
		if (percent == 0) {
			return NEVER;
		}
		return new MemoryPressure(DirectMemory.limit() / 100 * percent, percent, DirectMemory::used);
	}

	boolean isHigh() {
		return this.used.getAsLong() > this.thresholdBytes;
	}

	/**
	 * Closes a connection holding {@code heldBytes} at once, its unsent replies dropped.
	 */
	void shed(Channel channel, long heldBytes) {
		long now = System.nanoTime();
		if (now - this.nextWarnNanos >= 0) {
			this.nextWarnNanos = now + WARN_INTERVAL_NANOS;
			logger.warn("Direct memory is over " + this.percent
					+ "% of its limit (timestamp.tcp.memory-pressure-percent):" + " closed the connection from "
					+ ClientAddress.describe(channel) + ", which held " + heldBytes
					+ " bytes of replies it did not read or of an unfinished request. Such connections are closed"
					+ " while memory stays short, counted as timestamp_tcp_connections_closed_total{reason=\"memory\"}"
					+ " (this warning repeats at most once a minute).");
		}
		ConnectionEnd.abort(channel, CloseReason.MEMORY);
	}

}
