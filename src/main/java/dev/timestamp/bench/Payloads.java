package dev.timestamp.bench;

import java.nio.charset.StandardCharsets;

/**
 * Request payloads unique per request: 4 hex digits of connection id, 8 of sequence
 * number, then letters that depend on the sequence (the C load generator's layout), so a
 * reply answered out of order or to the wrong request is caught.
 */
final class Payloads {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private Payloads() {
	}

	static void write(byte[] into, int connection, long sequence) {
		for (int i = 0; i < into.length; i++) {
			into[i] = byteAt(i, connection, sequence);
		}
	}

	static boolean matches(byte[] bytes, int offset, int size, int connection, long sequence) {
		for (int i = 0; i < size; i++) {
			if (bytes[offset + i] != byteAt(i, connection, sequence)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether {@code reply} is {@code [<timestamp>] <payload>} for this request.
	 */
	static boolean isReplyTo(byte[] reply, int size, int connection, long sequence) {
		int offset = reply.length - size;
		return offset >= 3 && reply[0] == '[' && reply[offset - 2] == ']' && reply[offset - 1] == ' '
				&& matches(reply, offset, size, connection, sequence);
	}

	/**
	 * The sequence number in a reply's payload, or -1 if the payload is too short to hold
	 * one.
	 */
	static long sequenceOf(byte[] reply, int size) {
		if (size < 12 || reply.length < size) {
			return -1;
		}
		long sequence = 0;
		int start = reply.length - size + 4;
		for (int i = start; i < start + 8; i++) {
			int digit = Character.digit(reply[i], 16);
			if (digit < 0) {
				return -1;
			}
			sequence = (sequence << 4) | digit;
		}
		return sequence;
	}

	private static byte byteAt(int index, int connection, long sequence) {
		if (index < 4) {
			return HEX[(connection >>> (4 * (3 - index))) & 0xF];
		}
		if (index < 12) {
			return HEX[(int) (sequence >>> (4 * (11 - index))) & 0xF];
		}
		return (byte) ('a' + (int) ((sequence + index) % 26));
	}

}
