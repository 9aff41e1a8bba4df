package dev.timestamp.tcp.framing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.timestamp.framing.Framing;
import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.memory.MemoryPressure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FramingHandler} on an embedded channel: requests in order, error replies,
 * back-pressure and the raw fallback.
 */
class FramingHandlerTests {

	private static final long RAW_AFTER = TimeUnit.MILLISECONDS.toNanos(200);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TcpMetrics metrics = new TcpMetrics(this.registry);

	@Test
	void passesEachRequestOnInOrder() {
		EmbeddedConnection connection = line(64);
		send(connection, "one\ntw");
		send(connection, "o\r\nthree\n");
		assertThat(connection.recorder.requests()).containsExactly("one", "two", "three");
	}

	@Test
	void answersAnOversizedRequestWithAnErrorLineAndEndsTheConnection() {
		EmbeddedConnection connection = line(8);
		send(connection, "short\n0123456789ABCDEF\nnever\n");
		assertThat(connection.recorder.requests()).containsExactly("short");
		assertThat(connection.outbound()).isEqualTo("ERR frame exceeds 8 bytes\r\n");
		assertThat(connection.closeReason()).isEqualTo(CloseReason.FRAME_TOO_LARGE);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(this.registry.get("timestamp.frames.rejected").tag("reason", "too_large").counter().count())
			.isEqualTo(1);
	}

	@Test
	void answersAMalformedFrameWithAnErrorInTheConnectionsFraming() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new FramingHandler(Framing.STX_ETX, 64, 0, this.metrics, MemoryPressure.NEVER));
		send(connection, "no stx");
		assertThat(connection.outbound()).isEqualTo("\u0002ERR malformed frame\u0003");
		assertThat(connection.closeReason()).isEqualTo(CloseReason.ERROR);
	}

	@Test
	void stopsReadingWhileTheClientLeavesItsRepliesUnreadAndResumesAfter() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new FramingHandler(Framing.LINE, 64, 0, this.metrics, MemoryPressure.NEVER), new UnflushedReplies());
		connection.channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 16));
		send(connection, "a\nb\nc\nd\ne\nf\n");
		// The unread replies crossed the high-water mark before every request was read.
		assertThat(connection.recorder.requests()).hasSizeLessThan(6).startsWith("a");
		assertThat(connection.channel.config().isAutoRead()).isFalse();
		for (int flushes = 0; flushes < 6 && !connection.channel.config().isAutoRead(); flushes++) {
			// The client reads its replies: the channel turns writable and reading
			// resumes.
			connection.channel.flush();
			connection.channel.runPendingTasks();
		}
		assertThat(connection.recorder.requests()).containsExactly("a", "b", "c", "d", "e", "f");
		assertThat(connection.channel.config().isAutoRead()).isTrue();
		connection.channel.releaseOutbound();
	}

	@Test
	void readsNoMoreWhileRequestsReadDuringAPauseStillOutrunTheClient() {
		ReadRequests reads = new ReadRequests();
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000, reads,
				new FramingHandler(Framing.LINE, 64, 0, this.metrics, MemoryPressure.NEVER), new UnflushedReplies());
		connection.channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 16));
		send(connection, "a\nb\nc\n");
		assertThat(connection.channel.config().isAutoRead()).isFalse();
		// A read already under way when reading paused (io_uring's) still arrives.
		send(connection, "d\ne\nf\ng\nh\ni\n");
		reads.count = 0;
		connection.channel.flush();
		connection.channel.runPendingTasks();
		// The client read its replies, but what is buffered fills them up again.
		assertThat(connection.recorder.requests()).hasSizeLessThan(9);
		assertThat(connection.channel.config().isAutoRead()).isFalse();
		assertThat(reads.count).isZero();
		for (int flushes = 0; flushes < 9 && !connection.channel.config().isAutoRead(); flushes++) {
			connection.channel.flush();
			connection.channel.runPendingTasks();
		}
		assertThat(connection.recorder.requests()).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i");
		assertThat(reads.count).isPositive();
		connection.channel.releaseOutbound();
	}

	@Test
	void keepsAnUnfinishedRequestInABufferOfItsSizeNotInTheLargeReadItCameIn() {
		EmbeddedConnection connection = line(64);
		ByteBuf read = Unpooled.directBuffer(64 * 1024).writeBytes("one\ntwo\nthr".getBytes(StandardCharsets.US_ASCII));
		connection.channel.writeInbound(read);
		assertThat(read.refCnt()).isZero();
		send(connection, "ee\n");
		assertThat(connection.recorder.requests()).containsExactly("one", "two", "three");
	}

	@Test
	void servesAnUnterminatedFirstRequestAsRawAfterTheQuietPeriod() {
		EmbeddedConnection connection = line(64);
		send(connection, "hello");
		assertThat(connection.recorder.messages).isEmpty();
		connection.channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
		connection.channel.runScheduledPendingTasks();
		assertThat(connection.recorder.requests()).containsExactly("hello");
		assertThat(connection.recorder.events).containsExactly(FramingHandler.ReplyFraming.RAW);
		send(connection, "again\n");
		assertThat(connection.recorder.requests()).containsExactly("hello", "again\n");
	}

	@Test
	void aTerminatedFirstRequestKeepsTheConnectionInLineFraming() {
		EmbeddedConnection connection = line(64);
		send(connection, "one\ntwo");
		connection.channel.advanceTimeBy(1, TimeUnit.SECONDS);
		connection.channel.runScheduledPendingTasks();
		assertThat(connection.recorder.requests()).containsExactly("one");
		assertThat(connection.recorder.events).isEmpty();
	}

	private EmbeddedConnection line(int maxFrameBytes) {
		return EmbeddedConnection.from("198.51.100.1", 5000,
				new FramingHandler(Framing.LINE, maxFrameBytes, RAW_AFTER, this.metrics, MemoryPressure.NEVER));
	}

	private static void send(EmbeddedConnection connection, String text) {
		connection.channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
	}

	/** Counts the reads asked of the channel. */
	private static final class ReadRequests extends ChannelOutboundHandlerAdapter {

		private int count;

		@Override
		public void read(ChannelHandlerContext ctx) {
			this.count++;
			ctx.read();
		}

	}

	/**
	 * Writes an 8-byte reply per request without flushing, as a client that does not
	 * read.
	 */
	private static final class UnflushedReplies extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.write(Unpooled.wrappedBuffer(new byte[8]));
			ctx.fireChannelRead(msg);
		}

	}

}
