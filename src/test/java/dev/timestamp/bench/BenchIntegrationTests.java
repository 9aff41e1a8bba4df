package dev.timestamp.bench;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.CliRun;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short {@code bench} run against the real server: no errors, and exactly as many answered
 * requests as the server counted.
 */
@Timeout(120)
class BenchIntegrationTests {

	@Test
	void tcpBenchAnswersMatchTheServersRequestCount() {
		try (RunningServer server = RunningServer.start()) {
			double before = requests(server, "tcp");
			CliRun run = CliRun.piped("", "bench", "tcp", "--port", String.valueOf(server.tcpPort()), "-c", "8", "-p", "4",
					"-d", "2", "-w", "0.5", "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.errors")).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.timeouts")).isZero();
			assertThat(JsonPath.<Number>read(run.out(), "$.requests").longValue()).isPositive();
			long answered = JsonPath.<Number>read(run.out(), "$.totalAnswered").longValue();
			Awaitility.await().until(() -> server.context()
				.getBean(dev.timestamp.tcp.NettyTcpServerConnectionFactory.class)
				.getOpenConnectionCount() == 0);
			assertThat(requests(server, "tcp") - before).isEqualTo(answered);
		}
	}

	@Test
	void udpBenchAnswersMatchTheServersRequestCount() {
		try (RunningServer server = RunningServer.start()) {
			double before = requests(server, "udp");
			CliRun run = CliRun.piped("", "bench", "udp", "--port", String.valueOf(server.udpPort()), "-c", "4", "-d", "2",
					"-w", "0.5", "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.errors")).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.lost")).isZero();
			long answered = JsonPath.<Number>read(run.out(), "$.totalAnswered").longValue();
			assertThat(requests(server, "udp") - before).isEqualTo(answered);
		}
	}

	@Test
	void printsAReadableReportWithLatencyPercentiles() {
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.piped("", "bench", "tcp", "--port", String.valueOf(server.tcpPort()), "-c", "2", "-d", "1",
					"-w", "0");
			assertThat(run.exitCode()).isZero();
			assertThat(run.out()).contains("req/s").contains("p50").contains("p99.9").contains("errors     0");
			assertThat(run.err()).contains("measure");
		}
	}

	@Test
	void rejectsImpossibleOptionsWithExitCode2() {
		assertThat(CliRun.piped("", "bench", "udp", "--size", "8").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "smtp").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "tcp", "-c", "0").exitCode()).isEqualTo(2);
	}

	private static double requests(RunningServer server, String transport) {
		return PrometheusText.parse(server.get("/actuator/prometheus").body())
			.value("timestamp_requests_total", "transport", transport, "outcome", "ok");
	}

}
