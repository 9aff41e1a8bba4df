package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * Each chunk handed to {@link #decode} (one socket read) is one request. The server reads
 * at most the frame limit at a time, so a chunk is never too large for it.
 */
final class RawFrameDecoder extends FrameDecoder {

	RawFrameDecoder(int maxFrameBytes) {
		super(maxFrameBytes);
	}

	@Override
	protected boolean decodeOne(ByteBuf in, FrameSink sink) {
		// Input held back while the connection was paused can exceed one read: it is
		// answered in pieces of at most the frame limit, as a longer write always is.
		sink.frame(read(in, Math.min(in.readableBytes(), this.maxFrameBytes)));
		return true;
	}

}
