package dev.timestamp.tcp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.timestamp.framing.Framing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FramingHandler} on an embedded channel while direct memory is short: a
 * connection holding more than {@link MemoryPressure#SHED_ABOVE_BYTES} is closed, one
 * holding less is not, and none is while memory is not short.
 */
class MemoryPressureTests {

	private static final long LIMIT = 1000;

	private static final long PAUSED_CHECK_MILLIS = 500;

	/** Direct memory in use, as the pressure reads it; short above 750. */
	private final AtomicLong used = new AtomicLong();

	private final AtomicInteger reads = new AtomicInteger();

	private final MemoryPressure pressure = new MemoryPressure(750, 75, () -> {
		this.reads.incrementAndGet();
		return this.used.get();
	});

	private final TcpMetrics metrics = new TcpMetrics(new SimpleMeterRegistry());

	private EmbeddedConnection connection;

	@AfterEach
	void release() {
		this.connection.channel.finishAndReleaseAll();
	}

	@Test
	void closesAConnectionWhoseUnreadRepliesPassItsShareWhileMemoryIsShort() {
		this.used.set(LIMIT);
		connect(1024);
		send(lines(MemoryPressure.SHED_ABOVE_BYTES / 1024 + 1));
		assertThat(this.connection.channel.isOpen()).isFalse();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void keepsAConnectionWithinItsShareWhileMemoryIsShort() {
		this.used.set(LIMIT);
		connect(1024);
		// each reply also counts Netty's bookkeeping for it
		send(lines(MemoryPressure.SHED_ABOVE_BYTES / 1024 / 2));
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	@Test
	void keepsEveryConnectionWhileMemoryIsNotShort() {
		this.used.set(750);
		connect(1024);
		send(lines(MemoryPressure.SHED_ABOVE_BYTES / 1024 + 1));
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	@Test
	void closesAConnectionWhoseUnfinishedRequestPassesItsShareWhileMemoryIsShort() {
		this.used.set(LIMIT);
		connect(0);
		send("x".repeat(MemoryPressure.SHED_ABOVE_BYTES + 1));
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesAPausedConnectionOnceMemoryBecomesShort() {
		connect(1024);
		this.connection.channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(MemoryPressure.SHED_ABOVE_BYTES, 2 * MemoryPressure.SHED_ABOVE_BYTES));
		send(lines(3 * MemoryPressure.SHED_ABOVE_BYTES / 1024));
		// paused, its replies unread, and no read to come that would check it
		assertThat(this.connection.channel.config().isAutoRead()).isFalse();
		assertThat(this.connection.channel.isOpen()).isTrue();
		this.used.set(LIMIT);
		this.connection.channel.advanceTimeBy(1, TimeUnit.SECONDS);
		this.connection.channel.runScheduledPendingTasks();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void checksAConnectionThatPausesAgainOnceAtATime() {
		connect(1024);
		this.connection.channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(MemoryPressure.SHED_ABOVE_BYTES, 2 * MemoryPressure.SHED_ABOVE_BYTES));
		for (int pauses = 0; pauses < 3; pauses++) {
			send(lines(3 * MemoryPressure.SHED_ABOVE_BYTES / 1024));
			assertThat(this.connection.channel.config().isAutoRead()).isFalse();
			// the client reads: reading resumes, before the last check is due
			this.connection.channel.flush();
			this.connection.channel.runPendingTasks();
			this.connection.channel.releaseOutbound();
		}
		send(lines(3 * MemoryPressure.SHED_ABOVE_BYTES / 1024));
		this.reads.set(0);
		this.connection.channel.advanceTimeBy(PAUSED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
		this.connection.channel.runScheduledPendingTasks();
		assertThat(this.reads).as("memory readings in one check interval").hasValue(1);
	}

	/**
	 * A line connection whose replies, {@code replyBytes} each, the client never reads.
	 */
	private void connect(int replyBytes) {
		this.connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new FramingHandler(Framing.LINE, 2 * MemoryPressure.SHED_ABOVE_BYTES, 0, this.metrics, this.pressure),
				new UnreadReplies(replyBytes));
		this.connection.channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20));
	}

	private void send(String text) {
		this.connection.channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
	}

	private static String lines(int count) {
		return "line\n".repeat(count);
	}

	/**
	 * Writes a reply of a given size per request, never flushed: a client that does not
	 * read.
	 */
	private static final class UnreadReplies extends ChannelInboundHandlerAdapter {

		private final int replyBytes;

		UnreadReplies(int replyBytes) {
			this.replyBytes = replyBytes;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.write(Unpooled.wrappedBuffer(new byte[this.replyBytes]));
			ctx.fireChannelRead(msg);
		}

	}

}
