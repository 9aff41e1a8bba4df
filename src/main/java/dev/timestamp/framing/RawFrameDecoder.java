package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * Each chunk handed to {@link #decode} (one socket read) is one request. The server caps its
 * read buffer at the frame limit, so a chunk is never too large for it.
 */
final class RawFrameDecoder extends FrameDecoder {

	RawFrameDecoder(int maxFrameBytes) {
		super(maxFrameBytes);
	}

	@Override
	protected boolean decodeOne(ByteBuf in, FrameSink sink) {
		int length = in.readableBytes();
		if (length > this.maxFrameBytes) {
			return fail(FrameError.TOO_LARGE, sink);
		}
		sink.frame(read(in, length));
		return true;
	}

}
