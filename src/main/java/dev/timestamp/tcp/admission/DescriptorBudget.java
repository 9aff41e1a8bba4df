package dev.timestamp.tcp.admission;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections the process's file-descriptor limit leaves room for. Every
 * connection is a descriptor; when they run out, accept fails and so does everything else
 * that opens one, the HTTP port's health probes included. So connections may use what is
 * free at start-up minus a reserve for the HTTP port, the JVM and the logs.
 */
public final class DescriptorBudget {

	/** Descriptors kept back for the HTTP port (probes, scrapes), the JVM and logging. */
	public static final int RESERVE = 64;

	private DescriptorBudget() {
	}

	/**
	 * The connection cap to enforce: the configured one, or less when the descriptor
	 * limit allows less (at least 1). Where the limit cannot be read, the configured cap.
	 */
	public static int connectionsAllowed(int configured) {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof UnixOperatingSystemMXBean unix) {
			return connectionsAllowed(configured, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
		}
		return configured;
	}

	public static int connectionsAllowed(int configured, long limit, long open) {
		long free = limit - open - RESERVE;
		return (int) Math.max(1, Math.min(configured, free));
	}

	/** The process's descriptor limit, or -1 where it cannot be read. */
	public static long limit() {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
				? unix.getMaxFileDescriptorCount() : -1;
	}

}
