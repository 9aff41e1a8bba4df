package dev.timestamp.framing;

import io.netty.buffer.ByteBuf;

/**
 * {@code STX payload ETX}. Anything but STX where a frame starts is malformed.
 */
final class StxEtxFrameDecoder extends FrameDecoder {

	static final byte STX = 0x02;

	static final byte ETX = 0x03;

	/** Payload bytes after the STX already known to hold no ETX. */
	private int scanned;

	StxEtxFrameDecoder(int maxFrameBytes) {
		super(maxFrameBytes);
	}

	@Override
	protected boolean decodeOne(ByteBuf in, FrameSink sink) {
		int start = in.readerIndex();
		if (in.getByte(start) != STX) {
			return fail(FrameError.MALFORMED, sink);
		}
		int end = in.writerIndex();
		int etx = in.indexOf(start + 1 + this.scanned, end, ETX);
		if (etx < 0) {
			this.scanned = end - start - 1;
			return (this.scanned > this.maxFrameBytes) ? fail(FrameError.TOO_LARGE, sink) : false;
		}
		this.scanned = 0;
		int length = etx - start - 1;
		if (length > this.maxFrameBytes) {
			return fail(FrameError.TOO_LARGE, sink);
		}
		in.skipBytes(1);
		byte[] payload = read(in, length);
		in.skipBytes(1);
		sink.frame(payload);
		return true;
	}

}
