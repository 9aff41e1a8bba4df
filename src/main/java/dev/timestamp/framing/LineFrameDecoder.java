package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * LF- or CRLF-terminated lines. Remembers how far it has searched, so a line that arrives
 * byte by byte is scanned once, not once per byte. Not Netty's
 * {@code LineBasedFrameDecoder}: it decodes a whole read at once and cannot pause in the
 * middle of one, which back-pressure needs ({@link FrameSink#isPaused()}).
 */
final class LineFrameDecoder extends FrameDecoder {

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private final boolean crlfOnly;

	/** Bytes after the reader index already known to hold no terminator. */
	private int scanned;

	LineFrameDecoder(int maxFrameBytes, boolean crlfOnly) {
		super(maxFrameBytes);
		this.crlfOnly = crlfOnly;
	}

	@Override
	protected boolean decodeOne(ByteBuf in, FrameSink sink) {
		int start = in.readerIndex();
		int end = in.writerIndex();
		int lf = findTerminator(in, start + this.scanned, end);
		if (lf < 0) {
			// A CR at the end may still be followed by its LF, so a terminator can need
			// one more byte.
			this.scanned = end - start;
			return (this.scanned > this.maxFrameBytes + 1) ? fail(FrameError.TOO_LARGE, sink) : false;
		}
		this.scanned = 0;
		boolean cr = lf > start && in.getByte(lf - 1) == CR;
		int length = lf - start - (cr ? 1 : 0);
		if (length > this.maxFrameBytes) {
			return fail(FrameError.TOO_LARGE, sink);
		}
		byte[] payload = read(in, length);
		in.readerIndex(lf + 1);
		sink.frame(payload);
		return true;
	}

	private int findTerminator(ByteBuf in, int from, int end) {
		int lf = in.indexOf(from, end, LF);
		if (this.crlfOnly) {
			while (lf >= 0 && (lf == in.readerIndex() || in.getByte(lf - 1) != CR)) {
				lf = in.indexOf(lf + 1, end, LF);
			}
		}
		return lf;
	}

	/** An unterminated last line (the client half-closed) is answered like any other. */
	@Override
	protected void decodeRest(ByteBuf in, FrameSink sink) {
		int length = in.readableBytes();
		if (!this.crlfOnly && in.getByte(in.writerIndex() - 1) == CR) {
			length--;
		}
		if (length > this.maxFrameBytes) {
			fail(FrameError.TOO_LARGE, sink);
			return;
		}
		sink.frame(read(in, length));
	}

}
