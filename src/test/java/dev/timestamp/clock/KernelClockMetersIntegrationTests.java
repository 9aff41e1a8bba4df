package dev.timestamp.clock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.timestamp.support.Installed;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's clock state on the scrape, checked against what Debian's {@code adjtimex}
 * program prints for the same clock.
 */
@EnabledOnOs(OS.LINUX)
class KernelClockMetersIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer();

	@Test
	void theScrapeTellsWhatAdjtimexTellsAboutTheClock() throws Exception {
		Path adjtimex = Installed.program("adjtimex", "adjtimex");
		Process process = new ProcessBuilder(adjtimex.toString(), "--print").redirectErrorStream(true).start();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int status = number(printed, "status:\\s*(\\d+)");
		int state = number(printed, "return value = (\\d+)");
		boolean synchronised = state != 5 && (status & 0x40) == 0;

		PrometheusText scrape = server.scrape();
		assertThat(scrape.value("timestamp_clock_synchronized")).as(printed).isEqualTo(synchronised ? 1 : 0);
		assertThat(scrape.value("timestamp_clock_max_error_seconds"))
			.isGreaterThanOrEqualTo(scrape.value("timestamp_clock_estimated_error_seconds"))
			.isGreaterThanOrEqualTo(0);
		assertThat(scrape.value("timestamp_clock_leap")).isBetween(0.0, 3.0);
		assertThat(scrape.has("timestamp_clock_offset_seconds")).isTrue();
	}

	private static int number(String text, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(text);
		assertThat(matcher.find()).as("'" + pattern + "' in: " + text).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
