package dev.timestamp.tcp.memory;

import java.util.function.LongSupplier;

import dev.timestamp.netty.DirectMemory;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.MinuteThrottle;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * How much a connection may hold, given how short direct memory is. Each connection stays
 * within its own limits, but together enough of them can fill direct memory, after which
 * an allocation fails for whichever connection needs one next, a good client's as likely
 * as not. So above {@code timestamp.tcp.memory-pressure-percent} of the limit a
 * connection holding more than {@link #SHORT_SHARE_BYTES} (replies its client is not
 * reading, an unfinished request) is closed, and above halfway from there to the limit
 * one holding more than {@link #CRITICAL_SHARE_BYTES}: the memory goes to the clients
 * that read.
 */
public final class MemoryPressure {

	/** What a connection may hold while memory is short. */
	public static final int SHORT_SHARE_BYTES = 64 * 1024;

	/**
	 * What a connection may hold while memory is critical; a connection holding less is
	 * never checked.
	 */
	public static final int CRITICAL_SHARE_BYTES = 4 * 1024;

	/** Never short: connections are closed by their own limits only. */
	public static final MemoryPressure NEVER = new MemoryPressure(0, 0, () -> 0);

	private static final Log logger = LogFactory.getLog(MemoryPressure.class);

	private final long shortAboveBytes;

	private final long criticalAboveBytes;

	private final int percent;

	private final LongSupplier used;

	private final MinuteThrottle warning = new MinuteThrottle();

	/**
	 * Short above {@code percent} of {@code limitBytes} in use; 0 is never (see
	 * {@link #isOn()}, which callers ask first).
	 */
	public MemoryPressure(long limitBytes, int percent, LongSupplier used) {
		this.shortAboveBytes = limitBytes / 100 * percent;
		this.criticalAboveBytes = this.shortAboveBytes + (limitBytes - this.shortAboveBytes) / 2;
		this.percent = percent;
		this.used = used;
	}

	/** Short above {@code percent} of the JVM's direct memory limit; 0 is never. */
	public static MemoryPressure ofDirectMemory(int percent) {
		return (percent == 0) ? NEVER : new MemoryPressure(DirectMemory.limit(), percent, DirectMemory::used);
	}

	/** Whether memory can ever be short, so that connections need checking at all. */
	public boolean isOn() {
		return this.percent > 0;
	}

	/** Bytes a connection may hold now; no limit while memory is not short. */
	public long share() {
		long used = this.used.getAsLong();
		if (used <= this.shortAboveBytes) {
			return Long.MAX_VALUE;
		}
		return (used <= this.criticalAboveBytes) ? SHORT_SHARE_BYTES : CRITICAL_SHARE_BYTES;
	}

	/**
	 * Closes a connection holding {@code heldBytes} at once, its unsent replies dropped.
	 */
	public void shed(Channel channel, long heldBytes) {
		long heldBack = this.warning.pass();
		if (heldBack != MinuteThrottle.HELD_BACK) {
			logger.warn("Direct memory is over " + this.percent
					+ "% of its limit (timestamp.tcp.memory-pressure-percent):" + " closed the connection from "
					+ ClientAddress.describe(channel) + ", which held " + heldBytes
					+ " bytes of replies it did not read, of an unfinished request or of a TLS record still arriving."
					+ " Such connections are closed"
					+ " while memory stays short, counted as timestamp_tcp_connections_closed_total{reason=\"memory\"}"
					+ " (timestamp_tls_… on the TLS listener)" + MinuteThrottle.repeats(heldBack) + ".");
		}
		ConnectionEnd.abort(channel, CloseReason.MEMORY);
	}

}
