package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * Splits one connection's byte stream into request payloads. Input arrives in arbitrary
 * chunks appended to the same buffer; the decoder consumes what it emits and never
 * buffers more than the frame limit (plus a terminator) before it reports
 * {@link FrameError#TOO_LARGE}. After the first error it discards all further input.
 */
public abstract class FrameDecoder {

	protected final int maxFrameBytes;

	private boolean failed;

	protected FrameDecoder(int maxFrameBytes) {
		this.maxFrameBytes = maxFrameBytes;
	}

	/** Emits every complete frame in {@code in}, consuming their bytes. */
	public final void decode(ByteBuf in, FrameSink sink) {
		while (!this.failed && in.isReadable() && !sink.isPaused() && decodeOne(in, sink)) {
			// one frame per iteration
		}
		if (this.failed) {
			in.skipBytes(in.readableBytes());
		}
	}

	/** The input has ended: emits or rejects what {@link #decode} left unterminated. */
	public final void decodeLast(ByteBuf in, FrameSink sink) {
		while (!this.failed && in.isReadable() && decodeOne(in, sink)) {
			// the end of input does not wait for a paused sink
		}
		if (!this.failed && in.isReadable()) {
			decodeRest(in, sink);
		}
		in.skipBytes(in.readableBytes());
	}

	/**
	 * Emits the next frame and returns {@code true}, or returns {@code false} when more
	 * input is needed (or after {@link #fail}).
	 */
	protected abstract boolean decodeOne(ByteBuf in, FrameSink sink);

	/**
	 * Handles unterminated bytes at the end of input; by default they are a truncated
	 * frame.
	 */
	protected void decodeRest(ByteBuf in, FrameSink sink) {
		fail(FrameError.MALFORMED, sink);
	}

	protected final boolean fail(FrameError error, FrameSink sink) {
		this.failed = true;
		sink.error(error);
		return false;
	}

	protected static byte[] read(ByteBuf in, int length) {
		byte[] payload = new byte[length];
		in.readBytes(payload);
		return payload;
	}

}
