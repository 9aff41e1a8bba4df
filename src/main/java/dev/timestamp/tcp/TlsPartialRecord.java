package dev.timestamp.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Right before the {@code SslHandler}: counts the bytes of the TLS record still arriving,
 * which the {@code SslHandler} holds until the record's last byte is in. That is up to
 * about 16 KB a connection, during the handshake as after it, that the framing never
 * sees; the memory bound counts it ({@link FramingHandler}). Only the 5-byte record
 * headers are read (type, version, length); the bodies are skipped.
 */
final class TlsPartialRecord extends ChannelInboundHandlerAdapter {

	private static final int HEADER_BYTES = 5;

	/** Bytes of the current record's header read so far; 5 once in its body. */
	private int headerRead;

	private int bodyLeft;

	private int held;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			// Before passing it on: the SslHandler releases it.
			count(bytes);
		}
		ctx.fireChannelRead(msg);
	}

	/** Bytes of the record still arriving (its header included). */
	int heldBytes() {
		return this.held;
	}

	private void count(ByteBuf bytes) {
		int at = bytes.readerIndex();
		int end = bytes.writerIndex();
		while (at < end) {
			if (this.headerRead < HEADER_BYTES) {
				int value = bytes.getUnsignedByte(at++);
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
	}

}
