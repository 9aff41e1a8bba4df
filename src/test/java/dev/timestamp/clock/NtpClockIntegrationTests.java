package dev.timestamp.clock;

import java.nio.file.Path;
import java.time.Duration;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clock measured against a real NTP server, Debian's {@code chronyd}: the meters, the
 * health it decides, and the readiness gate both ways.
 */
class NtpClockIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@Test
	void publishesTheServersOffsetRoundTripStratumAndLeap(@TempDir Path dir) throws Exception {
		try (Chronyd chronyd = Chronyd.start(dir);
				RunningServer server = RunningServer.start("--timestamp.clock.ntp.servers=" + chronyd.server(),
						"--timestamp.clock.ntp.interval=1s")) {
			String[] tag = { "server", chronyd.server() };
			await().atMost(PATIENCE)
				.until(() -> !Double.isNaN(server.scrape().value("timestamp_clock_ntp_stratum", tag)));
			PrometheusText scrape = server.scrape();
			assertThat(scrape.value("timestamp_clock_ntp_stratum", tag)).isEqualTo(8);
			assertThat(scrape.value("timestamp_clock_ntp_leap", tag)).isZero();
			// The server serves this machine's own clock.
			assertThat(Math.abs(scrape.value("timestamp_clock_ntp_offset_seconds", tag))).isLessThan(0.1);
			assertThat(scrape.value("timestamp_clock_ntp_round_trip_seconds", tag)).isBetween(0.0, 1.0);
		}
	}

	@Test
	void theNtpMeasurementDecidesTheClocksHealthWhateverTheKernelSays(@TempDir Path dir) throws Exception {
		try (Chronyd chronyd = Chronyd.start(dir);
				RunningServer server = RunningServer.start("--timestamp.clock.ntp.servers=" + chronyd.server(),
						"--timestamp.clock.ntp.interval=1s")) {
			await().atMost(PATIENCE).until(() -> "UP".equals(clock(server)));
			HttpResult health = server.get("/actuator/health");
			assertThat(health.<Integer>json("$.components.clock.details.ntp['" + chronyd.server() + "'].stratum"))
				.isEqualTo(8);
			assertThat(health.<Object>json("$.components.clock.details.kernel")).isNotNull();
		}
	}

	@Test
	void aServerThatDoesNotAnswerIsCountedAndLeavesTheClockUnsynchronized(@TempDir Path dir) throws Exception {
		try (Chronyd chronyd = Chronyd.start(dir)) {
			chronyd.stop();
			try (RunningServer server = RunningServer.start("--timestamp.clock.ntp.servers=" + chronyd.server(),
					"--timestamp.clock.ntp.interval=1s", "--timestamp.clock.ntp.timeout=200ms")) {
				await().atMost(PATIENCE)
					.until(() -> server.scrape()
						.value("timestamp_clock_ntp_failures_total", "server", chronyd.server()) >= 2);
				assertThat(clock(server)).isEqualTo("UNSYNCHRONIZED");
				assertThat(server.get("/actuator/health").<String>json("$.components.clock.details.reason"))
					.contains("no NTP server answered");
				assertThat(server.get("/actuator/health").<String>json("$.status")).isEqualTo("UP");
			}
		}
	}

	@Test
	void withTheGateThePodIsReadyWhileTheServerAnswersAndComesBackWithIt(@TempDir Path dir) throws Exception {
		try (Chronyd chronyd = Chronyd.start(dir);
				RunningServer server = RunningServer.start("--timestamp.clock.readiness=true",
						"--timestamp.clock.ntp.servers=" + chronyd.server(), "--timestamp.clock.ntp.interval=1s",
						"--timestamp.clock.ntp.timeout=200ms")) {
			await().atMost(PATIENCE).until(() -> readiness(server) == 200);
			chronyd.stop();
			// Not ready once no answer came for three intervals.
			await().atMost(PATIENCE).until(() -> readiness(server) == 503);
			assertThat(server.get("/actuator/health/readiness").<String>json("$.components.clock.status"))
				.isEqualTo("UNSYNCHRONIZED");
			assertThat(server.get("/actuator/health/liveness").status()).isEqualTo(200);
			chronyd.start();
			await().atMost(PATIENCE).until(() -> readiness(server) == 200);
		}
	}

	private static String clock(RunningServer server) {
		return server.get("/actuator/health").json("$.components.clock.status");
	}

	private static int readiness(RunningServer server) {
		return server.get("/actuator/health/readiness").status();
	}

}
