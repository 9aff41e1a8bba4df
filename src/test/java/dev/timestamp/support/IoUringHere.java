package dev.timestamp.support;

import dev.timestamp.netty.EventLoops;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Assumptions;

/** Whether tests of the io_uring transport can run on this kernel. */
public final class IoUringHere {

	private IoUringHere() {
	}

	/**
	 * Skips the test, saying why, where this kernel does not allow io_uring (too old, or
	 * blocked by a seccomp profile); the service falls back to epoll there.
	 */
	public static void assumeAllowed() {
		Assumptions.assumeTrue(EventLoops.ioUringAvailable(),
				() -> "this kernel does not allow io_uring (the service falls back to epoll): "
						+ IoUring.unavailabilityCause());
	}

	/** {@link #assumeAllowed()} when {@code transport} is {@code io-uring}. */
	public static void assumeAllowedFor(String transport) {
		if (transport.equals("io-uring")) {
			assumeAllowed();
		}
	}

}
