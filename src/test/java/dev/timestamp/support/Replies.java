package dev.timestamp.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the reply format: {@code [<ctime>] } followed by the request's exact bytes.
 */
public final class Replies {

	/** C ctime() layout: English names, day of month space-padded to two characters. */
	public static final Pattern CTIME = Pattern.compile(
			"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}");

	private static final int PREFIX_LENGTH = "[Wed Nov 25 22:00:40 2026] ".length();

	private Replies() {
	}

	public static void assertStamped(byte[] reply, byte[] request) {
		assertThat(reply.length).as("reply length").isEqualTo(PREFIX_LENGTH + request.length);
		String prefix = new String(reply, 0, PREFIX_LENGTH, StandardCharsets.ISO_8859_1);
		assertThat(prefix).startsWith("[").endsWith("] ");
		assertThat(prefix.substring(1, PREFIX_LENGTH - 2)).matches(CTIME);
		assertThat(Arrays.copyOfRange(reply, PREFIX_LENGTH, reply.length)).as("echoed payload").isEqualTo(request);
	}

	public static void assertStamped(byte[] reply, String request) {
		assertStamped(reply, request.getBytes(StandardCharsets.UTF_8));
	}

	public static int prefixLength() {
		return PREFIX_LENGTH;
	}

}
