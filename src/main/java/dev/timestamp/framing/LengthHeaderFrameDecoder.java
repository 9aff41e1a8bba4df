package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * A 4-byte big-endian length, then the payload. A negative length is malformed; a length
 * over the limit is rejected before any of the payload is buffered.
 */
final class LengthHeaderFrameDecoder extends FrameDecoder {

	private static final int HEADER_BYTES = 4;

	LengthHeaderFrameDecoder(int maxFrameBytes) {
		super(maxFrameBytes);
	}

	@Override
	protected boolean decodeOne(ByteBuf in, FrameSink sink) {
		if (in.readableBytes() < HEADER_BYTES) {
			return false;
		}
		int length = in.getInt(in.readerIndex());
		if (length < 0) {
			return fail(FrameError.MALFORMED, sink);
		}
		if (length > this.maxFrameBytes) {
			return fail(FrameError.TOO_LARGE, sink);
		}
		if (in.readableBytes() - HEADER_BYTES < length) {
			return false;
		}
		in.skipBytes(HEADER_BYTES);
		sink.frame(read(in, length));
		return true;
	}

}
