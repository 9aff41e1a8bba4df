package dev.timestamp.tcp.memory;

import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The read buffers of a connection on io_uring, whose allocation failure closes that one
 * connection instead of stopping its event loop.
 * <p>
 * Netty 4.2.15's io_uring transport allocates a connection's next read buffer while it
 * handles a completion (a poll saying the socket is readable, or the end of a read loop),
 * outside any handler of the pipeline, and its event loop rethrows every {@link Error}:
 * an {@link OutOfMemoryError} there ends the loop's thread and loses every connection on
 * it. On epoll the same failure reaches the connection's pipeline, where
 * {@code ConnectionBridge} closes the connection as {@code memory}. Here the failure is
 * handed to the pipeline the same way, as a task of the connection's loop (the transport
 * is in the middle of scheduling a read, no time to close the socket), and the read gets
 * an empty buffer. That read returns nothing, which the transport may take for the
 * client's end; either way the connection closes, counted as {@code memory}.
 */
public final class IoUringReadBuffers implements RecvByteBufAllocator {

	private final RecvByteBufAllocator sizes;

	private final Channel channel;

	private IoUringReadBuffers(RecvByteBufAllocator sizes, Channel channel) {
		this.sizes = sizes;
		this.channel = channel;
	}

	/** Guards the channel's reads, keeping the buffer sizes it is configured with. */
	public static void guard(Channel channel) {
		ChannelConfig config = channel.config();
		config.setRecvByteBufAllocator(new IoUringReadBuffers(config.getRecvByteBufAllocator(), channel));
	}

	@Override
	public Handle newHandle() {
		// io_uring requires an extended handle, as every allocator of Netty's gives
		return new GuardedHandle((ExtendedHandle) this.sizes.newHandle());
	}

	private final class GuardedHandle extends DelegatingHandle implements ExtendedHandle {

		private GuardedHandle(ExtendedHandle sizes) {
			super(sizes);
		}

		@Override
		public ByteBuf allocate(ByteBufAllocator alloc) {
			try {
				return super.allocate(alloc);
			}
			catch (OutOfMemoryError ex) {
				Channel channel = IoUringReadBuffers.this.channel;
				// Recorded now: the empty read below can end the connection first, as if
				// its client had closed.
				ConnectionEnd.record(channel, CloseReason.MEMORY);
				channel.eventLoop().execute(() -> channel.pipeline().fireExceptionCaught(ex));
				// direct, as io_uring needs, and holding no memory
				return Unpooled.EMPTY_BUFFER;
			}
		}

		@Override
		public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
			return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
		}

	}

}
