package dev.timestamp.tcp.framing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.timestamp.framing.FrameDecoder;
import dev.timestamp.framing.FrameError;
import dev.timestamp.framing.FrameSink;
import dev.timestamp.framing.Framing;
import dev.timestamp.metrics.RequestMetrics;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.memory.MemoryPressure;
import dev.timestamp.tcp.memory.ReadBufferSizes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Splits the byte stream into requests and passes each on as a {@code byte[]}; answers a
 * bad frame with an error line and ends the connection; in line framing turns a
 * connection whose first request stays unterminated into a raw one. Its
 * {@link ReadPressure} pauses the decoding while replies queue up and bounds the memory
 * the connection holds.
 */
public final class FramingHandler extends ByteToMessageDecoder implements FrameSink {

	private static final Log logger = LogFactory.getLog(FramingHandler.class);

	private final int maxFrameBytes;

	private final TcpMetrics metrics;

	private final RequestMetrics requestMetrics;

	private FrameDecoder decoder;

	/** How error lines are framed: the connection's framing, raw after the fallback. */
	private Framing replyFraming;

	/**
	 * While the first request is unterminated: quiet after which the connection turns
	 * raw; else 0.
	 */
	private long rawFallbackNanos;

	private @Nullable Future<?> rawFallback;

	/** Bytes read since the count was last published. */
	private long bytesRead;

	private @Nullable ChannelHandlerContext ctx;

	/** Back-pressure and the memory bound. */
	private final ReadPressure pressure;

	public FramingHandler(Framing framing, int maxFrameBytes, long rawFallbackNanos, TcpMetrics metrics,
			MemoryPressure memory) {
		this(framing, maxFrameBytes, rawFallbackNanos, metrics, memory, () -> 0);
	}

	public FramingHandler(Framing framing, int maxFrameBytes, long rawFallbackNanos, TcpMetrics metrics,
			MemoryPressure memory, IntSupplier tlsRecordArriving) {
		this.decoder = framing.newDecoder(maxFrameBytes);
		this.replyFraming = framing;
		this.maxFrameBytes = maxFrameBytes;
		this.rawFallbackNanos = (framing == Framing.LINE) ? rawFallbackNanos : 0;
		this.metrics = metrics;
		this.requestMetrics = metrics.requests();
		this.pressure = new ReadPressure(memory, () -> internalBuffer().capacity(), tlsRecordArriving);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
		this.ctx = ctx;
		super.handlerAdded(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof ByteBuf bytes) {
			this.bytesRead += bytes.readableBytes();
			if (ConnectionEnd.isClosing(ctx.channel())) {
				// Nothing more is answered: input is dropped as it arrives instead of
				// piling up behind a paused decoder.
				bytes.release();
				return;
			}
		}
		super.channelRead(ctx, msg);
		// Before the check, which counts the buffer the unfinished request is in.
		moveUnfinishedRequestToABufferOfItsSize(ctx);
		// After each read, not only once a socket's reads are complete: a socket can be
		// read many times before that, and a flood of them would run memory out first.
		this.pressure.checkMemory(ctx);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		this.decoder.decode(in, this);
	}

	@Override
	protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		this.decoder.decodeLast(in, this);
	}

	@Override
	public boolean isPaused() {
		return this.pressure.isPaused(this.ctx.channel());
	}

	@Override
	public void frame(byte[] payload) {
		// A terminated first request: a line connection for good.
		this.rawFallbackNanos = 0;
		ChannelHandlerContext context = this.ctx;
		if (ConnectionEnd.isClosing(context.channel()) || !context.channel().isActive()) {
			// Input decoded after the connection ended (a reset, an idle close) has
			// nobody to answer: it is neither answered nor timed, so every request meter
			// agrees.
			return;
		}
		context.fireChannelRead(payload);
	}

	@Override
	public void error(FrameError error) {
		ChannelHandlerContext context = this.ctx;
		String text;
		CloseReason reason;
		if (error == FrameError.TOO_LARGE) {
			this.metrics.frameTooLarge();
			text = "ERR frame exceeds " + this.maxFrameBytes + " bytes";
			reason = CloseReason.FRAME_TOO_LARGE;
		}
		else {
			this.metrics.frameMalformed();
			text = "ERR malformed frame";
			reason = CloseReason.ERROR;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected frame (" + error + ") from " + ClientAddress.describe(context.channel()));
		}
		byte[] line = text.getBytes(StandardCharsets.US_ASCII);
		ByteBuf reply = context.alloc().ioBuffer(line.length + this.replyFraming.overhead());
		this.replyFraming.encode(line, reply);
		this.requestMetrics.failed();
		this.requestMetrics.sent(reply.readableBytes());
		ConnectionEnd.end(context.channel(), reason, reply, ConnectionEnd.MAX_LINGER_MILLIS);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		if (this.bytesRead > 0) {
			this.requestMetrics.received(this.bytesRead);
			this.bytesRead = 0;
		}
		discardSomeReadBytes();
		if (this.rawFallbackNanos > 0 && internalBuffer().isReadable()) {
			armRawFallback(ctx);
		}
		// Not super: when auto-read is off and no message went down the pipeline,
		// ByteToMessageDecoder asks for another read. That would read on past a
		// back-pressure pause and buffer a non-reading client's requests without limit.
		ctx.fireChannelReadComplete();
		// After the replies to this read went to the channel.
		this.pressure.checkMemory(ctx);
	}

	/**
	 * An unfinished request left at the end of a large read would keep the whole read
	 * buffer (up to 64 KiB, more once merged with the next read) for as long as its
	 * client takes to finish it, one byte enough to hold it: it moves to a buffer of its
	 * own size.
	 */
	private void moveUnfinishedRequestToABufferOfItsSize(ChannelHandlerContext ctx) throws Exception {
		ByteBuf held = internalBuffer();
		int size = held.readableBytes();
		if (!ReadBufferSizes.holdsTooMuchFor(held.capacity(), size)) {
			return;
		}
		ByteBuf own = ctx.alloc().ioBuffer(size);
		own.writeBytes(held);
		// The read buffer is empty now: the decoder releases it and takes the copy, in
		// which it finds nothing new to decode.
		super.channelRead(ctx, own);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		this.pressure.writabilityChanged(ctx, () -> decodeBuffered(ctx));
		super.channelWritabilityChanged(ctx);
	}

	/** Decodes what was read before a pause or a framing change, then flushes. */
	private void decodeBuffered(ChannelHandlerContext ctx) {
		try {
			channelRead(ctx, Unpooled.EMPTY_BUFFER);
			channelReadComplete(ctx);
		}
		catch (Exception ex) {
			ctx.fireExceptionCaught(ex);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (this.rawFallback != null) {
			this.rawFallback.cancel(false);
		}
		super.channelInactive(ctx);
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
		if (this.rawFallbackNanos == 0 || ConnectionEnd.isClosing(ctx.channel()) || !ctx.channel().isActive()) {
			return;
		}
		this.rawFallbackNanos = 0;
		if (logger.isDebugEnabled()) {
			logger.debug("Connection from " + ClientAddress.describe(ctx.channel())
					+ " sent no line terminator: served as raw");
		}
		this.decoder = Framing.RAW.newDecoder(this.maxFrameBytes);
		this.replyFraming = Framing.RAW;
		ReadBufferSizes.turnRaw(ctx.channel(), this.maxFrameBytes);
		ctx.fireUserEventTriggered(ReplyFraming.RAW);
		decodeBuffered(ctx);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == ClientInput.ENDING) {
			// As at a FIN: what is left unterminated is the last request.
			ByteBuf held = internalBuffer();
			if (held.isReadable() && ctx.channel().isActive()) {
				this.decoder.decodeLast(held, this);
				channelReadComplete(ctx);
			}
			return;
		}
		if (event == ClientInput.ENDED_UNANSWERABLE) {
			ByteBuf held = internalBuffer();
			// Not once the connection is ending: its input goes uncounted, as in frame().
			if (held.isReadable() && !ConnectionEnd.isClosing(ctx.channel())) {
				this.metrics.frameUnterminated();
				if (logger.isDebugEnabled()) {
					logger.debug("Unterminated last request of " + held.readableBytes() + " bytes from "
							+ ClientAddress.describe(ctx.channel())
							+ " cannot be answered: the client ended its input");
				}
				held.skipBytes(held.readableBytes());
			}
			return;
		}
		super.userEventTriggered(ctx, event);
	}

	/**
	 * Sent to this handler by one before it: the client is ending its input in a way this
	 * handler cannot see (over TLS: a close_notify).
	 */
	public enum ClientInput {

		/** The bytes read so far are all the client sends. */
		ENDING,

		/**
		 * The bytes read so far are all the client sends, and nothing can be sent any
		 * more (over TLS 1.3, BoringSSL after a close_notify): an unfinished request is
		 * counted, not answered.
		 */
		ENDED_UNANSWERABLE

	}

	/** Tells the handlers after this one how replies are framed from now on. */
	public enum ReplyFraming {

		/** Replies go out unframed, as in raw framing. */
		RAW

	}

}
