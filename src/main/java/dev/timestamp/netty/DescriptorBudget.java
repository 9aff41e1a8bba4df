package dev.timestamp.netty;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The file descriptors the process's limit leaves for connections and for the UDP sockets
 * opened for addresses found later, shared by every listener. Each is a descriptor; when
 * they run out, accept fails and so does everything else that opens one, the HTTP port's
 * health probes included. So all of them together may use what is free at start-up minus
 * a reserve for the HTTP port, the JVM and the logs.
 */
public final class DescriptorBudget {

	/** Descriptors kept back for the HTTP port (probes, scrapes), the JVM and logging. */
	public static final int RESERVE = 64;

	/** Connections open on every listener, shed ones still closing included. */
	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Places taken by admitted connections on every TCP listener and by UDP sockets for
	 * addresses found later.
	 */
	private final AtomicInteger places = new AtomicInteger();

	/** Told of every close: a listener that paused for want of descriptors may resume. */
	private final List<Runnable> closeWatchers = new CopyOnWriteArrayList<>();

	private volatile int allowed = Integer.MAX_VALUE;

	/**
	 * Measures what the descriptor limit allows connections, counting the descriptors the
	 * open ones hold as theirs, and returns it (at least 1). Where the limit cannot be
	 * read, no limit.
	 */
	public int measure() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof UnixOperatingSystemMXBean unix) {
			long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() + this.open.get()
					- RESERVE;
			this.allowed = (int) Math.max(1, Math.min(Integer.MAX_VALUE, free));
		}
		return this.allowed;
	}

	/** Connections the descriptors allow open at once, on every listener together. */
	public int allowed() {
		return this.allowed;
	}

	public void allow(int connections) {
		this.allowed = connections;
	}

	public int open() {
		return this.open.get();
	}

	/**
	 * Takes a place for an admitted connection or a UDP socket, or says there is none
	 * left. Places, not open channels, are counted, as each listener's cap counts them: a
	 * connection is counted open only once its event loop has it, after the listener
	 * admitted it.
	 */
	public boolean takePlace() {
		if (this.places.incrementAndGet() > this.allowed) {
			this.places.decrementAndGet();
			return false;
		}
		return true;
	}

	public void releasePlace() {
		this.places.decrementAndGet();
	}

	/** A TCP connection was accepted (admitted or to be shed). */
	public void opened() {
		this.open.incrementAndGet();
	}

	public void closed() {
		this.open.decrementAndGet();
		for (Runnable watcher : this.closeWatchers) {
			watcher.run();
		}
	}

	public void watchCloses(Runnable watcher) {
		this.closeWatchers.add(watcher);
	}

	/** The process's descriptor limit, or -1 where it cannot be read. */
	public static long limit() {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
				? unix.getMaxFileDescriptorCount() : -1;
	}

}
