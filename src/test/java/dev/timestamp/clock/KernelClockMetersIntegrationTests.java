package dev.timestamp.clock;

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
		boolean synchronised = AdjtimexProgram.clockSynchronized();
		PrometheusText scrape = server.scrape();
		assertThat(scrape.value("timestamp_clock_synchronized")).isEqualTo(synchronised ? 1 : 0);
		assertThat(scrape.value("timestamp_clock_max_error_seconds"))
			.isGreaterThanOrEqualTo(scrape.value("timestamp_clock_estimated_error_seconds"))
			.isGreaterThanOrEqualTo(0);
		assertThat(scrape.value("timestamp_clock_leap")).isBetween(0.0, 3.0);
		assertThat(scrape.has("timestamp_clock_offset_seconds")).isTrue();
	}

}
