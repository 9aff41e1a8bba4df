package dev.timestamp.clock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of the system clock, read with {@code adjtimex(2)} in read-only mode
 * ({@code modes} 0: no privilege needed, and allowed by the default seccomp profiles of
 * Docker, containerd and so Kubernetes' {@code RuntimeDefault}), as node_exporter's
 * {@code timex} collector reads it. Called through JNA rather than the FFM API because
 * the jar is Java 17 bytecode and FFM needs Java 22. A read costs a few microseconds (2.5
 * to 3.1 in a loop of 200,000 on the benchmark machine) and happens only on a scrape.
 */
public final class KernelClock {

	/** {@code struct timex} on 64-bit Linux is 208 bytes; room to spare. */
	private static final int TIMEX_BYTES = 256;

	private static final int OFFSET_AT = 8;

	private static final int MAX_ERROR_AT = 24;

	private static final int ESTIMATED_ERROR_AT = 32;

	private static final int STATUS_AT = 40;

	static final int TIME_INS = 1;

	static final int TIME_DEL = 2;

	static final int TIME_OOP = 3;

	static final int TIME_ERROR = 5;

	static final int STA_UNSYNC = 0x0040;

	static final int STA_NANO = 0x2000;

	private final LibC libc;

	private KernelClock(LibC libc) {
		this.libc = libc;
	}

	/**
	 * The kernel's clock where it can be read (Linux, the call allowed), else
	 * {@code null} with the reason in {@code why}.
	 */
	public static @Nullable KernelClock open(StringBuilder why) {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (!os.contains("linux")) {
			why.append("adjtimex is Linux's; this is ").append(System.getProperty("os.name"));
			return null;
		}
		try {
			KernelClock clock = new KernelClock(Native.load("c", LibC.class));
			clock.read();
			return clock;
		}
		catch (Throwable ex) {
			why.append("adjtimex could not be called: ").append(ex);
			return null;
		}
	}

	/** Reads the kernel's state now. */
	public Reading read() {
		try (Memory timex = new Memory(TIMEX_BYTES)) {
			timex.clear();
			int state = this.libc.adjtimex(timex);
			if (state < 0) {
				throw new IllegalStateException("adjtimex failed, errno " + Native.getLastError());
			}
			return Reading.of(state, timex.getByteBuffer(0, TIMEX_BYTES).order(ByteOrder.nativeOrder()));
		}
	}

	/**
	 * One reading of the kernel's clock discipline.
	 *
	 * @param state what {@code adjtimex} returned: {@code TIME_OK} (0) to
	 * {@code TIME_ERROR} (5)
	 * @param status the {@code STA_*} bits
	 * @param offsetSeconds the offset the kernel is correcting
	 * @param maxErrorSeconds the maximum error the kernel allows for
	 * @param estimatedErrorSeconds the estimated error
	 */
	public record Reading(int state, int status, double offsetSeconds, double maxErrorSeconds,
			double estimatedErrorSeconds) {

		static Reading of(int state, ByteBuffer timex) {
			int status = timex.getInt(STATUS_AT);
			double offsetUnit = ((status & STA_NANO) != 0) ? 1e-9 : 1e-6;
			return new Reading(state, status, timex.getLong(OFFSET_AT) * offsetUnit, timex.getLong(MAX_ERROR_AT) * 1e-6,
					timex.getLong(ESTIMATED_ERROR_AT) * 1e-6);
		}

		/** Synchronized: not {@code TIME_ERROR} and no {@code STA_UNSYNC}. */
		public boolean synchronised() {
			return this.state != TIME_ERROR && (this.status & STA_UNSYNC) == 0;
		}

		/**
		 * The leap-second state: 0 none, 1 a second to be inserted at midnight, 2 one to
		 * be deleted, 3 a leap second in progress.
		 */
		public int leap() {
			return switch (this.state) {
				case TIME_INS -> 1;
				case TIME_DEL -> 2;
				case TIME_OOP -> 3;
				default -> 0;
			};
		}

	}

	/** The C library's {@code adjtimex}. */
	public interface LibC extends Library {

		int adjtimex(Pointer timex);

	}

}
