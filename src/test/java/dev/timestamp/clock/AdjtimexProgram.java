package dev.timestamp.clock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.timestamp.support.Installed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Debian's {@code adjtimex --print} says about this machine's clock: the witness the
 * clock tests compare the service with.
 */
final class AdjtimexProgram {

	private AdjtimexProgram() {
	}

	/**
	 * Whether the kernel reports the clock synchronized: not TIME_ERROR, no STA_UNSYNC.
	 */
	static boolean clockSynchronized() throws Exception {
		Path adjtimex = Installed.program("adjtimex", "adjtimex");
		Process process = new ProcessBuilder(adjtimex.toString(), "--print").redirectErrorStream(true).start();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int status = number(printed, "status:\\s*(\\d+)");
		int state = number(printed, "return value = (\\d+)");
		return state != 5 && (status & 0x40) == 0;
	}

	private static int number(String text, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(text);
		assertThat(matcher.find()).as("'" + pattern + "' in: " + text).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
