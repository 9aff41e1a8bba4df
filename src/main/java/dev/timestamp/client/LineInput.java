package dev.timestamp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads input lines as bytes, never through a charset: a request is sent exactly as typed
 * or piped. A line ends at LF; a CR before it is dropped.
 */
final class LineInput {

	private final InputStream in;

	LineInput(InputStream in) {
		this.in = in;
	}

	/** The next line without its terminator, or {@code null} at the end of input. */
	byte @Nullable [] next() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) >= 0 && b != '\n') {
			line.write(b);
		}
		if (b < 0 && line.size() == 0) {
			return null;
		}
		byte[] bytes = line.toByteArray();
		if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
			return Arrays.copyOf(bytes, bytes.length - 1);
		}
		return bytes;
	}

}
