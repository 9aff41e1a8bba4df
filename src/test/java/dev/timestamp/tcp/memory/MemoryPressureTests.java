package dev.timestamp.tcp.memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.timestamp.framing.Framing;
import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.framing.FramingHandler;
import dev.timestamp.tcp.tls.TlsPartialRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FramingHandler} on an embedded channel as direct memory runs short: while it is
 * short a connection holding more than {@link MemoryPressure#SHORT_SHARE_BYTES} is
 * closed, once it is critical one holding more than
 * {@link MemoryPressure#CRITICAL_SHARE_BYTES}, and a connection that reads nothing more
 * is checked too.
 */
class MemoryPressureTests {

	/** Of a limit of 1,000 bytes: short above 750, critical above 875. */
	private static final long NOT_SHORT = 750;

	private static final long SHORT = 800;

	private static final long CRITICAL = 900;

	private static final long CHECK_MILLIS = 500;

	private static final int SHORT_SHARE_BYTES = MemoryPressure.SHORT_SHARE_BYTES;

	private static final int CRITICAL_SHARE_BYTES = MemoryPressure.CRITICAL_SHARE_BYTES;

	/** Direct memory in use, as the pressure reads it. */
	private final AtomicLong used = new AtomicLong();

	private final AtomicInteger readings = new AtomicInteger();

	private final MemoryPressure pressure = new MemoryPressure(1000, 75, () -> {
		this.readings.incrementAndGet();
		return this.used.get();
	});

	private final TcpMetrics metrics = new TcpMetrics(new SimpleMeterRegistry());

	private EmbeddedConnection connection;

	@AfterEach
	void release() {
		this.connection.channel.finishAndReleaseAll();
	}

	@Test
	void closesAConnectionWhoseUnreadRepliesPassTheShortShare() {
		this.used.set(SHORT);
		connect(1024);
		send(lines(SHORT_SHARE_BYTES / 1024 + 1));
		assertThat(this.connection.channel.isOpen()).isFalse();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesAConnectionInTheReadThatTakesItPastItsShare() {
		this.used.set(SHORT);
		connect(1024);
		// two reads before the socket's reads complete, as a busy socket delivers them
		this.connection.channel.writeInbound(bytes(lines(SHORT_SHARE_BYTES / 1024 + 1)), bytes("late\n"));
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
		assertThat(this.connection.recorder.requests()).doesNotContain("late");
	}

	@Test
	void keepsAConnectionWithinTheShortShare() {
		this.used.set(SHORT);
		connect(1024);
		// each reply also counts Netty's bookkeeping for it
		send(lines(SHORT_SHARE_BYTES / 1024 / 2));
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	@Test
	void keepsEveryConnectionWhileMemoryIsNotShort() {
		this.used.set(NOT_SHORT);
		connect(1024);
		send(lines(SHORT_SHARE_BYTES / 1024 + 1));
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	@Test
	void closesAConnectionWhoseUnfinishedRequestPassesTheShortShare() {
		this.used.set(SHORT);
		connect(0);
		send("x".repeat(SHORT_SHARE_BYTES + 1));
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesAConnectionPastTheCriticalShareOnceMemoryIsCritical() {
		this.used.set(CRITICAL);
		connect(0);
		send("x".repeat(2 * CRITICAL_SHARE_BYTES));
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void keepsAConnectionWithinTheCriticalShareEvenOnceMemoryIsCritical() {
		this.used.set(CRITICAL);
		connect(0);
		send("x".repeat(CRITICAL_SHARE_BYTES / 2));
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	@Test
	void countsTheReadBufferAnUnfinishedRequestKeepsNotOnlyItsBytes() {
		this.used.set(CRITICAL);
		connect(0);
		// within the critical share by its bytes, past it by the buffer they were read
		// into, which they fill too much to be moved to one of their size
		ByteBuf read = Unpooled.buffer(2 * CRITICAL_SHARE_BYTES)
			.writeBytes(bytes("x".repeat(CRITICAL_SHARE_BYTES * 3 / 4)));
		this.connection.channel.writeInbound(read);
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void keepsAConnectionWhoseLargeReadEndsInsideARequestOnceMemoryIsCritical() {
		this.used.set(CRITICAL);
		connect(0);
		// the request left over is a few bytes, in a read buffer of 64 KiB
		ByteBuf read = Unpooled.directBuffer(64 * 1024).writeBytes(bytes(lines(10) + "unfini"));
		this.connection.channel.writeInbound(read);
		assertThat(this.connection.channel.isOpen()).isTrue();
		send("shed\n");
		assertThat(this.connection.recorder.requests()).endsWith("unfinished");
	}

	@Test
	void closesAConnectionThatWentQuietInTheMiddleOfARequestOnceMemoryIsCritical() {
		this.used.set(NOT_SHORT);
		connect(0);
		send("x".repeat(SHORT_SHARE_BYTES - 1));
		assertThat(this.connection.channel.isOpen()).isTrue();
		// no read comes to check it
		this.used.set(CRITICAL);
		waitOneCheckInterval();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesATlsConnectionWhoseRecordStillArrivingPassesTheCriticalShare() {
		this.used.set(CRITICAL);
		connectOverTls();
		sendPartOfATlsRecord();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesATlsConnectionThatWentQuietInTheMiddleOfARecordOnceMemoryIsCritical() {
		this.used.set(NOT_SHORT);
		connectOverTls();
		sendPartOfATlsRecord();
		assertThat(this.connection.channel.isOpen()).isTrue();
		this.used.set(CRITICAL);
		waitOneCheckInterval();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesAPausedConnectionOnceMemoryBecomesShort() {
		connectPausingAtTwiceTheShortShare();
		sendUntilPaused();
		// its replies unread, and no read to come that would check it
		assertThat(this.connection.channel.isOpen()).isTrue();
		this.used.set(SHORT);
		waitOneCheckInterval();
		assertThat(this.connection.closeReason()).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void checksAConnectionOnceAnIntervalHoweverOftenItPauses() {
		connectPausingAtTwiceTheShortShare();
		for (int pauses = 0; pauses < 3; pauses++) {
			sendUntilPaused();
			// the client reads: reading resumes, before the last check is due
			this.connection.channel.flush();
			this.connection.channel.runPendingTasks();
			this.connection.channel.releaseOutbound();
		}
		sendUntilPaused();
		this.readings.set(0);
		waitOneCheckInterval();
		assertThat(this.readings).as("memory readings in one check interval").hasValue(1);
	}

	@Test
	void neverReadsMemoryForAConnectionHoldingLittle() {
		this.used.set(CRITICAL);
		connect(16);
		send(lines(20));
		this.connection.channel.flush();
		waitOneCheckInterval();
		assertThat(this.readings).hasValue(0);
		assertThat(this.connection.channel.isOpen()).isTrue();
	}

	/**
	 * A line connection whose replies, {@code replyBytes} each, the client never reads.
	 */
	private void connect(int replyBytes) {
		this.connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new FramingHandler(Framing.LINE, 2 * SHORT_SHARE_BYTES, 0, this.metrics, this.pressure),
				new UnreadReplies(replyBytes));
		this.connection.channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20));
	}

	/**
	 * A TLS connection: what arrives is ciphertext, which the stand-in for the
	 * {@code SslHandler} keeps, as it keeps a record until its last byte is in.
	 */
	private void connectOverTls() {
		TlsPartialRecord partialRecord = new TlsPartialRecord();
		this.connection = EmbeddedConnection.from(
				"198.51.100.1", 5000, partialRecord, new KeepsCiphertext(), new FramingHandler(Framing.LINE,
						2 * SHORT_SHARE_BYTES, 0, this.metrics, this.pressure, partialRecord::heldBytes),
				new UnreadReplies(0));
	}

	/**
	 * Twice the critical share of a record announced as 16,000 bytes: header and the
	 * first bytes of its body.
	 */
	private void sendPartOfATlsRecord() {
		byte[] partial = new byte[2 * CRITICAL_SHARE_BYTES];
		partial[0] = 23;
		partial[1] = 3;
		partial[2] = 3;
		partial[3] = (byte) (16_000 >> 8);
		partial[4] = (byte) 16_000;
		this.connection.channel.writeInbound(Unpooled.wrappedBuffer(partial));
	}

	/** Replies of 1 KiB that the client does not read; reading pauses past 128 KiB. */
	private void connectPausingAtTwiceTheShortShare() {
		connect(1024);
		this.connection.channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(SHORT_SHARE_BYTES, 2 * SHORT_SHARE_BYTES));
	}

	private void sendUntilPaused() {
		send(lines(3 * SHORT_SHARE_BYTES / 1024));
		assertThat(this.connection.channel.config().isAutoRead()).as("reading paused").isFalse();
	}

	private void waitOneCheckInterval() {
		this.connection.channel.advanceTimeBy(CHECK_MILLIS, TimeUnit.MILLISECONDS);
		this.connection.channel.runScheduledPendingTasks();
	}

	private void send(String text) {
		this.connection.channel.writeInbound(bytes(text));
	}

	private static ByteBuf bytes(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
	}

	private static String lines(int count) {
		return "line\n".repeat(count);
	}

	/** Keeps what it reads, as an {@code SslHandler} keeps an incomplete record. */
	private static final class KeepsCiphertext extends ChannelInboundHandlerAdapter {

		private final List<ByteBuf> kept = new ArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.kept.add((ByteBuf) msg);
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			this.kept.forEach(ByteBuf::release);
		}

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
