package dev.timestamp.tcp.tls;

import dev.timestamp.tcp.framing.FramingHandler;
import dev.timestamp.tcp.memory.ReadBufferSizes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Right before the {@code SslHandler}: counts the bytes of the TLS record still arriving,
 * which the {@code SslHandler} holds until the record's last byte is in. That is up to
 * about 16 KB a connection, during the handshake as after it, that the framing never
 * sees; the memory bound counts it ({@link FramingHandler}). Only the 5-byte record
 * headers are read (type, version, length); the bodies are skipped.
 * <p>
 * A record still arriving at the end of a large read would keep the whole read buffer in
 * the {@code SslHandler} (up to 64 KiB, for a few bytes of a record): the records
 * complete in the read go on in the read buffer, and the bytes of the one still arriving
 * in a buffer of their own size.
 */
public final class TlsPartialRecord extends ChannelInboundHandlerAdapter {

	private static final int HEADER_BYTES = 5;

	/** The content type of an alert record, visible up to TLS 1.2. */
	private static final int ALERT = 21;

	/** An alert has been seen: the client's input ends. */
	private boolean inputEnding;

	/** Bytes of the current record's header read so far; 5 once in its body. */
	private int headerRead;

	private int bodyLeft;

	private int held;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			// Before passing it on: the SslHandler releases it.
			int alert = count(bytes);
			if (alert >= 0 && !this.inputEnding) {
				passOnWithTheInputEndingAt(ctx, bytes, alert);
				return;
			}
			int arriving = Math.min(this.held, bytes.readableBytes());
			if (ReadBufferSizes.holdsTooMuchFor(bytes.capacity(), arriving)) {
				passOnWithoutTheReadBuffer(ctx, bytes, arriving);
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	private static void passOnWithoutTheReadBuffer(ChannelHandlerContext ctx, ByteBuf read, int arriving) {
		int complete = read.readableBytes() - arriving;
		ByteBuf own = ctx.alloc().ioBuffer(arriving);
		own.writeBytes(read, read.writerIndex() - arriving, arriving);
		if (complete > 0) {
			// decrypted and released at once
			ctx.fireChannelRead(read.retainedSlice(read.readerIndex(), complete));
		}
		read.release();
		ctx.fireChannelRead(own);
	}

	/**
	 * A TLS 1.2 alert record starts at {@code alert}: the client is closing
	 * (close_notify, or a fatal alert). The records before it are decrypted first; then
	 * the framing is told that input ends, so that an unterminated last request is
	 * answered while the engine can still send; BoringSSL closes both directions once it
	 * reads the alert. TLS 1.3 encrypts the record type, so its alerts cannot be seen
	 * here.
	 */
	private void passOnWithTheInputEndingAt(ChannelHandlerContext ctx, ByteBuf read, int alert) {
		this.inputEnding = true;
		int start = read.readerIndex();
		if (alert > start) {
			ctx.fireChannelRead(read.retainedSlice(start, alert - start));
		}
		ctx.fireUserEventTriggered(FramingHandler.ClientInput.ENDING);
		ctx.fireChannelRead(read.retainedSlice(alert, read.writerIndex() - alert));
		read.release();
	}

	/** Bytes of the record still arriving (its header included). */
	public int heldBytes() {
		return this.held;
	}

	/**
	 * Counts the bytes of the record still arriving; returns where the first alert record
	 * in {@code bytes} starts, or -1.
	 */
	private int count(ByteBuf bytes) {
		int alert = -1;
		int at = bytes.readerIndex();
		int end = bytes.writerIndex();
		while (at < end) {
			if (this.headerRead < HEADER_BYTES) {
				int value = bytes.getUnsignedByte(at++);
				if (this.headerRead == 0 && value == ALERT && alert < 0) {
					alert = at - 1;
				}
				// the last two header bytes are the body's length
				if (this.headerRead == 3) {
					this.bodyLeft = value << 8;
				}
				else if (this.headerRead == 4) {
					this.bodyLeft |= value;
				}
				this.headerRead++;
				this.held++;
			}
			else {
				int skipped = Math.min(this.bodyLeft, end - at);
				at += skipped;
				this.bodyLeft -= skipped;
				this.held += skipped;
			}
			if (this.headerRead == HEADER_BYTES && this.bodyLeft == 0) {
				// the record is complete: the SslHandler decrypts it now
				this.headerRead = 0;
				this.held = 0;
			}
		}
		return alert;
	}

}
