package dev.timestamp.tcp.framing;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.timestamp.tcp.memory.MemoryPressure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * What keeps one connection's memory bounded while {@link FramingHandler} reads it:
 * reading stops while the channel is not writable, that is while the client leaves more
 * than {@code max-queued-reply-bytes} of replies unread, and resumes once it has read
 * them; and while direct memory is short ({@link MemoryPressure}) the connection is
 * closed if it holds more than its share, checked after each read and, while it holds
 * more than a few kilobytes, periodically (a paused or silent connection has no reads to
 * check it).
 */
public final class ReadPressure {

	/** How often a connection holding memory is checked while it reads nothing. */
	private static final long MEMORY_CHECK_MILLIS = 500;

	private final MemoryPressure memory;

	/** Bytes of the buffer holding the unfinished request. */
	private final IntSupplier unfinishedRequest;

	/** Bytes of the TLS record still arriving (0 without TLS). */
	private final IntSupplier tlsRecordArriving;

	/** Reading is suspended until the client drains its replies. */
	private boolean paused;

	/** A check of the memory this connection holds is due. */
	private boolean memoryCheckScheduled;

	public ReadPressure(MemoryPressure memory, IntSupplier unfinishedRequest, IntSupplier tlsRecordArriving) {
		this.memory = memory;
		this.unfinishedRequest = unfinishedRequest;
		this.tlsRecordArriving = tlsRecordArriving;
	}

	/**
	 * Whether requests should wait: replies are queued past the cap, and reading stops
	 * until the client reads.
	 */
	public boolean isPaused(Channel channel) {
		if (!this.paused && !channel.isWritable()) {
			this.paused = true;
			channel.config().setAutoRead(false);
		}
		return this.paused;
	}

	/**
	 * The client has read enough of its replies: {@code decodeBuffered} answers the
	 * requests already read, then reading resumes unless they paused it again.
	 */
	public void writabilityChanged(ChannelHandlerContext ctx, Runnable decodeBuffered) {
		if (this.paused && ctx.channel().isWritable()) {
			// Not from inside this callback: it can fire in the middle of a flush.
			ctx.executor().execute(() -> resume(ctx, decodeBuffered));
		}
	}

	private void resume(ChannelHandlerContext ctx, Runnable decodeBuffered) {
		if (!this.paused || !ctx.channel().isActive()) {
			return;
		}
		this.paused = false;
		// Requests already read are answered before any more are: a read can complete
		// after reading paused (on io_uring one is always under way), and reading on at
		// each resume with those still buffered would let them grow by a read a pause.
		decodeBuffered.run();
		if (!this.paused) {
			ctx.channel().config().setAutoRead(true);
		}
	}

	/**
	 * Closes the connection if it holds more than its share of the memory left; while it
	 * holds more than the least share, checks it again later: a paused connection, or one
	 * that went quiet in the middle of a request, reads nothing that would check it.
	 */
	public void checkMemory(ChannelHandlerContext ctx) {
		Channel channel = ctx.channel();
		// The size first: it is this connection's own, the memory reading is shared.
		long held = heldBytes(channel);
		if (held <= MemoryPressure.CRITICAL_SHARE_BYTES || !channel.isActive() || !this.memory.isOn()) {
			return;
		}
		if (held > this.memory.share()) {
			this.memory.shed(channel, held);
		}
		else if (!this.memoryCheckScheduled) {
			// One check at a time, however many reads come before it.
			this.memoryCheckScheduled = true;
			ctx.executor().schedule(() -> {
				this.memoryCheckScheduled = false;
				checkMemory(ctx);
			}, MEMORY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Replies not yet sent, the buffer holding the unfinished request and, over TLS, the
	 * record still arriving, in bytes.
	 */
	private long heldBytes(Channel channel) {
		ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
		return ((unsent != null) ? unsent.totalPendingWriteBytes() : 0) + this.unfinishedRequest.getAsInt()
				+ this.tlsRecordArriving.getAsInt();
	}

}
