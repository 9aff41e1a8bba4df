package dev.timestamp.tcp.memory;

import java.util.ArrayList;
import java.util.List;

import dev.timestamp.tcp.ExhaustedDirectMemory;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IoUringReadBuffers} on an embedded channel: the configured sizes are kept, and a
 * read buffer that cannot be allocated becomes an empty one, with the failure handed to
 * the pipeline afterwards, when the transport is done scheduling the read.
 */
class IoUringReadBuffersTests {

	private final List<Throwable> failures = new ArrayList<>();

	private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			IoUringReadBuffersTests.this.failures.add(cause);
		}
	});

	@Test
	void keepsTheConfiguredBufferSizes() {
		this.channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(1234));
		IoUringReadBuffers.guard(this.channel);

		ByteBuf buffer = newHandle().allocate(UnpooledByteBufAllocator.DEFAULT);

		assertThat(buffer.capacity()).isEqualTo(1234);
		buffer.release();
	}

	@Test
	void handsAFailedAllocationToThePipelineAfterTheRead() {
		IoUringReadBuffers.guard(this.channel);

		ByteBuf buffer = newHandle().allocate(new ExhaustedDirectMemory());

		assertThat(buffer.capacity()).isZero();
		assertThat(buffer.isDirect()).isTrue();
		assertThat(this.failures).as("failures while the read is being scheduled").isEmpty();
		assertThat(ConnectionEnd.reason(this.channel)).isEqualTo(CloseReason.MEMORY);
		this.channel.runPendingTasks();
		assertThat(this.failures).singleElement().isInstanceOf(OutOfMemoryError.class);
	}

	private RecvByteBufAllocator.Handle newHandle() {
		RecvByteBufAllocator.Handle handle = this.channel.config().getRecvByteBufAllocator().newHandle();
		assertThat(handle).isInstanceOf(RecvByteBufAllocator.ExtendedHandle.class);
		handle.reset(this.channel.config());
		return handle;
	}

}
