package dev.timestamp.framing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;

/**
 * The framing modes of {@code timestamp.tcp.framing}. Each makes a fresh (stateful)
 * decoder per connection and frames replies in the same mode.
 */
public enum Framing {

	/** LF-terminated; a CR right before the LF is stripped. Replies end in CRLF. */
	LINE {
		@Override
		public FrameDecoder newDecoder(int maxFrameBytes) {
			return new LineFrameDecoder(maxFrameBytes, false);
		}
	},

	/** CRLF-terminated; a lone LF is payload. Replies end in CRLF. */
	CRLF {
		@Override
		public FrameDecoder newDecoder(int maxFrameBytes) {
			return new LineFrameDecoder(maxFrameBytes, true);
		}
	},

	/** Whatever one socket read delivers is one request; replies have no terminator. */
	RAW {
		@Override
		public FrameDecoder newDecoder(int maxFrameBytes) {
			return new RawFrameDecoder(maxFrameBytes);
		}

		@Override
		public int overhead() {
			return 0;
		}

		@Override
		public void encode(byte[] payload, ByteBuf out) {
			out.writeBytes(payload);
		}
	},

	/** STX (0x02), payload, ETX (0x03); the payload cannot contain ETX. */
	STX_ETX {
		@Override
		public FrameDecoder newDecoder(int maxFrameBytes) {
			return new StxEtxFrameDecoder(maxFrameBytes);
		}

		@Override
		public void encode(byte[] payload, ByteBuf out) {
			out.writeByte(StxEtxFrameDecoder.STX).writeBytes(payload).writeByte(StxEtxFrameDecoder.ETX);
		}
	},

	/** A 4-byte big-endian length, then that many payload bytes. */
	LENGTH_HEADER {
		@Override
		public FrameDecoder newDecoder(int maxFrameBytes) {
			return new LengthHeaderFrameDecoder(maxFrameBytes);
		}

		@Override
		public int overhead() {
			return 4;
		}

		@Override
		public void encode(byte[] payload, ByteBuf out) {
			out.writeInt(payload.length).writeBytes(payload);
		}
	};

	private static final short CRLF_BYTES = ('\r' << 8) | '\n';

	/** A decoder for one connection's byte stream. */
	public abstract FrameDecoder newDecoder(int maxFrameBytes);

	/** Bytes the framing adds to a payload. */
	public int overhead() {
		return 2;
	}

	/** Writes one framed payload. */
	public void encode(byte[] payload, ByteBuf out) {
		out.writeBytes(payload).writeShort(CRLF_BYTES);
	}

	/**
	 * The framing a configuration name (or enum name) stands for, e.g.
	 * {@code length-header}; names the valid ones when it stands for none.
	 */
	public static Framing fromConfigName(String value) {
		String name = value.trim();
		for (Framing framing : values()) {
			if (framing.configName().equalsIgnoreCase(name) || framing.name().equalsIgnoreCase(name)) {
				return framing;
			}
		}
		throw new IllegalArgumentException("unknown framing '" + value + "'; use one of "
				+ Arrays.stream(values()).map(Framing::configName).collect(Collectors.joining(", ")));
	}

	/** The name used in configuration, e.g. {@code length-header}. */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
