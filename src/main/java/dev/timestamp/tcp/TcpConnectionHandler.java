package dev.timestamp.tcp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.framing.FrameDecoder;
import dev.timestamp.framing.FrameError;
import dev.timestamp.framing.FrameSink;
import dev.timestamp.framing.Framing;
import dev.timestamp.metrics.RequestMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The per-connection hot path: splits the byte stream into requests, hands each to the
 * connection (and so to the flow), flushes the replies once per read batch, and enforces
 * the per-connection limits: reply back-pressure, frame size and idle timeout.
 */
final class TcpConnectionHandler extends ByteToMessageDecoder implements FrameSink {

	private static final Log logger = LogFactory.getLog(TcpConnectionHandler.class);

	/**
	 * How long a connection that got an error reply may keep sending before it is closed.
	 */
	private static final long ERROR_DRAIN_MILLIS = 2000;

	private final NettyTcpServerConnectionFactory factory;

	private FrameDecoder decoder;

	private final long idleTimeoutNanos;

	/**
	 * While the first request is unterminated: quiet after which the connection turns
	 * raw; else 0.
	 */
	private long rawFallbackNanos;

	private @Nullable Future<?> rawFallback;

	private final TcpMetrics metrics;

	private final RequestMetrics requestMetrics;

	/** Bytes read since the count was last published. */
	private long bytesRead;

	private @Nullable NettyTcpConnection connection;

	private long lastFrameNanos;

	/** Reading is suspended until the client drains its replies. */
	private boolean paused;

	private @Nullable Future<?> idleCheck;

	TcpConnectionHandler(NettyTcpServerConnectionFactory factory, FrameDecoder decoder, long idleTimeoutNanos,
			long rawFallbackNanos, TcpMetrics metrics) {
		this.factory = factory;
		this.decoder = decoder;
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.rawFallbackNanos = rawFallbackNanos;
		this.metrics = metrics;
		this.requestMetrics = metrics.requests();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof ByteBuf bytes) {
			this.bytesRead += bytes.readableBytes();
			NettyTcpConnection conn = this.connection;
			if (conn != null && conn.isClosing()) {
				// Draining or closing: nothing more is answered, so input is dropped as
				// it
				// arrives instead of piling up behind a paused decoder.
				bytes.release();
				return;
			}
		}
		super.channelRead(ctx, msg);
	}

	/** Meters are updated once per read batch, not once per request. */
	private void publishCounts() {
		if (this.bytesRead > 0) {
			this.requestMetrics.received(this.bytesRead);
			this.bytesRead = 0;
		}
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.publishCounts(this.requestMetrics);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.connection = this.factory.accepted(ctx.channel());
		if (this.connection == null) {
			ctx.close();
			return;
		}
		this.lastFrameNanos = System.nanoTime();
		scheduleIdleCheck(ctx, this.idleTimeoutNanos);
		super.channelActive(ctx);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.connection != null) {
			this.decoder.decode(in, this);
		}
		else {
			in.skipBytes(in.readableBytes());
		}
	}

	@Override
	protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.connection != null) {
			this.decoder.decodeLast(in, this);
		}
		else {
			in.skipBytes(in.readableBytes());
		}
	}

	@Override
	public boolean isPaused() {
		NettyTcpConnection conn = this.connection;
		if (!this.paused && conn != null && conn.isOverQueueCap()) {
			// Replies queued past the cap: stop reading requests until the client reads.
			this.paused = true;
			conn.channel().config().setAutoRead(false);
		}
		return this.paused;
	}

	@Override
	public void frame(byte[] payload) {
		// A terminated first request: a line connection for good.
		this.rawFallbackNanos = 0;
		NettyTcpConnection conn = this.connection;
		if (conn.isClosing() || !conn.channel().isActive()) {
			// Input decoded after the connection ended (a reset, an idle close) has
			// nobody to
			// answer: it is neither answered nor timed, so every request meter agrees.
			return;
		}
		long start = System.nanoTime();
		try {
			conn.receive(payload);
			long end = System.nanoTime();
			this.requestMetrics.answered(end - start);
			// a complete request is what keeps a connection from the idle timeout
			this.lastFrameNanos = end;
		}
		catch (RuntimeException ex) {
			logger.warn("Closing connection from " + conn.remoteAddress() + " after an unexpected failure: " + ex, ex);
			conn.close(CloseReason.ERROR);
		}
	}

	@Override
	public void error(FrameError error) {
		NettyTcpConnection conn = this.connection;
		if (error == FrameError.TOO_LARGE) {
			this.metrics.frameTooLarge();
			conn.closing(CloseReason.FRAME_TOO_LARGE);
			conn.writeError("ERR frame exceeds " + this.factory.getMaxFrameBytes() + " bytes", this.requestMetrics);
		}
		else {
			this.metrics.frameMalformed();
			conn.closing(CloseReason.ERROR);
			conn.writeError("ERR malformed frame", this.requestMetrics);
		}
		publishCounts();
		conn.flushIfPending();
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected frame (" + error + ") from " + conn.remoteAddress());
		}
		// Close our side only: the client may still be sending, and a full close would
		// answer
		// that with a reset that can destroy the error line before the client reads it.
		if (conn.channel() instanceof DuplexChannel duplex) {
			// After the replies already queued: shutting the output down fails unwritten
			// writes.
			duplex.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((written) -> duplex.shutdownOutput());
			conn.channel().eventLoop().schedule(() -> duplex.close(), ERROR_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
		}
		else {
			conn.channel().close();
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			publishCounts();
			conn.flushIfPending();
		}
		discardSomeReadBytes();
		if (this.rawFallbackNanos > 0 && internalBuffer().isReadable()) {
			armRawFallback(ctx);
		}
		// Not super: when auto-read is off and no message went down the pipeline (this
		// decoder never sends any), ByteToMessageDecoder asks for another read. That
		// would
		// read on past a back-pressure pause and buffer a non-reading client's requests
		// without limit.
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		if (this.paused && ctx.channel().isWritable()) {
			// Not from inside this callback: it can fire in the middle of a flush.
			ctx.executor().execute(() -> resume(ctx));
		}
		super.channelWritabilityChanged(ctx);
	}

	private void resume(ChannelHandlerContext ctx) {
		if (!this.paused || !ctx.channel().isActive()) {
			return;
		}
		this.paused = false;
		ctx.channel().config().setAutoRead(true);
		// Decode what was read before the pause, then flush its replies.
		try {
			channelRead(ctx, Unpooled.EMPTY_BUFFER);
			channelReadComplete(ctx);
		}
		catch (Exception ex) {
			exceptionCaught(ctx, ex);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		// On a half-close the decoder first answers what is left, including an
		// unterminated line.
		super.userEventTriggered(ctx, event);
		NettyTcpConnection conn = this.connection;
		if (event instanceof ChannelInputShutdownEvent && conn != null) {
			conn.closing(CloseReason.CLIENT);
			publishCounts();
			conn.flushIfPending();
			ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((done) -> ctx.close());
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		super.channelInactive(ctx);
		if (this.idleCheck != null) {
			this.idleCheck.cancel(false);
		}
		if (this.rawFallback != null) {
			this.rawFallback.cancel(false);
		}
		publishCounts();
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.releaseBatch();
			conn.closing(CloseReason.CLIENT);
			this.factory.released(conn);
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		NettyTcpConnection conn = this.connection;
		if (cause instanceof IOException) {
			// Resets and broken pipes are the client's doing and no concern of the
			// server's.
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ctx.channel().remoteAddress() + " failed: " + cause.getMessage());
			}
			if (conn != null) {
				conn.closing(CloseReason.CLIENT);
			}
		}
		else {
			logger.warn("Closing connection from " + ctx.channel().remoteAddress() + ": " + cause, cause);
			if (conn != null) {
				conn.closing(CloseReason.ERROR);
			}
		}
		ctx.close();
	}

	/**
	 * (Re)starts the quiet period after which an unterminated first request makes the
	 * connection raw.
	 */
	private void armRawFallback(ChannelHandlerContext ctx) {
		if (this.rawFallback != null) {
			this.rawFallback.cancel(false);
		}
		this.rawFallback = ctx.executor()
			.schedule(() -> fallBackToRaw(ctx), this.rawFallbackNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * The first request is unterminated and the client went quiet: it waits for an answer
	 * to what it sent, as the tutorial's client does. From now on each read is one
	 * request and replies have no terminator, as in raw framing.
	 */
	private void fallBackToRaw(ChannelHandlerContext ctx) {
		NettyTcpConnection conn = this.connection;
		if (this.rawFallbackNanos == 0 || conn == null || conn.isClosing() || !ctx.channel().isActive()) {
			return;
		}
		this.rawFallbackNanos = 0;
		if (logger.isDebugEnabled()) {
			logger.debug("Connection from " + conn.remoteAddress() + " sent no line terminator: served as raw");
		}
		this.decoder = Framing.RAW.newDecoder(this.factory.getMaxFrameBytes());
		conn.replyRaw();
		ctx.channel().config().setRecvByteBufAllocator(this.factory.rawReadBufferSizes());
		try {
			channelRead(ctx, Unpooled.EMPTY_BUFFER);
			channelReadComplete(ctx);
		}
		catch (Exception ex) {
			exceptionCaught(ctx, ex);
		}
	}

	private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
		this.idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void checkIdle(ChannelHandlerContext ctx) {
		NettyTcpConnection conn = this.connection;
		if (conn == null || !ctx.channel().isOpen()) {
			return;
		}
		long idle = System.nanoTime() - this.lastFrameNanos;
		if (idle >= this.idleTimeoutNanos) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing idle connection from " + conn.remoteAddress());
			}
			conn.close(CloseReason.IDLE);
		}
		else {
			scheduleIdleCheck(ctx, this.idleTimeoutNanos - idle);
		}
	}

}
