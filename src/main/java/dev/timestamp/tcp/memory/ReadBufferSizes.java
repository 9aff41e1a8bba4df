package dev.timestamp.tcp.memory;

import dev.timestamp.framing.Framing;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * How large a connection's read buffers are. Framed connections start small and grow to
 * 64 KiB while reads come back full. In raw framing one read is one request, so a read
 * may take up to the frame limit and never more. Up to 64 KiB every read is given the
 * limit (an adaptive buffer would cut a connection's first reads at its initial guess);
 * above it, reads start at 64 KiB and grow towards the limit while they come back full: a
 * buffer of the limit (up to 16 MB) for every read would have each small request allocate
 * and clear megabytes.
 */
public final class ReadBufferSizes {

	/** The largest read of a framed connection, and the first of a raw one. */
	public static final int LARGE_READ_BYTES = 64 * 1024;

	private ReadBufferSizes() {
	}

	public static RecvByteBufAllocator of(Framing framing, int maxFrameBytes) {
		return (framing == Framing.RAW) ? raw(maxFrameBytes)
				: new AdaptiveRecvByteBufAllocator(64, 2048, LARGE_READ_BYTES);
	}

	/**
	 * Whether {@code kept} bytes, all that is left of a read in its buffer of
	 * {@code capacity}, would hold it for little: then they move to a buffer of their own
	 * size. Below 4 KiB a buffer is left as it is (a connection holding less is never
	 * checked for memory either).
	 */
	public static boolean holdsTooMuchFor(int capacity, int kept) {
		return kept > 0 && capacity > MemoryPressure.CRITICAL_SHARE_BYTES && kept <= capacity / 4;
	}

	/**
	 * Gives a connection the read sizes of raw framing (the line framing's fallback),
	 * keeping the io_uring guard on its reads if it has one.
	 */
	public static void turnRaw(Channel channel, int maxFrameBytes) {
		boolean guarded = channel.config().getRecvByteBufAllocator() instanceof IoUringReadBuffers;
		channel.config().setRecvByteBufAllocator(raw(maxFrameBytes));
		if (guarded) {
			IoUringReadBuffers.guard(channel);
		}
	}

	private static RecvByteBufAllocator raw(int maxFrameBytes) {
		if (maxFrameBytes <= LARGE_READ_BYTES) {
			return new FixedRecvByteBufAllocator(maxFrameBytes);
		}
		return new AdaptiveRecvByteBufAllocator(LARGE_READ_BYTES, LARGE_READ_BYTES, maxFrameBytes);
	}

}
