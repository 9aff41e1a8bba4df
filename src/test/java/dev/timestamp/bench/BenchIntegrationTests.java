package dev.timestamp.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.CliRun;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short {@code bench} run against the real server: no errors, and exactly as many
 * answered requests as the server counted.
 */
@Timeout(120)
class BenchIntegrationTests {

	@Test
	void tcpBenchAnswersMatchTheServersRequestCount() {
		try (RunningServer server = RunningServer.start()) {
			double before = requests(server, "tcp");
			CliRun run = CliRun.piped("", "bench", "tcp", "--port", String.valueOf(server.tcpPort()), "-c", "8", "-p",
					"4", "-d", "2", "-w", "0.5", "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.errors")).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.timeouts")).isZero();
			assertThat(JsonPath.<Number>read(run.out(), "$.requests").longValue()).isPositive();
			long answered = JsonPath.<Number>read(run.out(), "$.totalAnswered").longValue();
			Awaitility.await()
				.until(() -> server.context()
					.getBean(NettyTcpServerConnectionFactory.class)
					.getOpenConnectionCount() == 0);
			assertThat(requests(server, "tcp") - before).isEqualTo(answered);
		}
	}

	@Test
	void churnOpensOneConnectionPerRequestAndCanSpeakThePROXYProtocol() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1")) {
			CliRun run = CliRun.piped("", "bench", "churn", "--port", String.valueOf(server.tcpPort()), "-c", "4", "-d",
					"1", "-w", "0.5", "--proxy-protocol", "v2", "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(JsonPath.<Integer>read(run.out(), "$.errors")).isZero();
			long answered = JsonPath.<Number>read(run.out(), "$.totalAnswered").longValue();
			assertThat(answered).isPositive();
			Awaitility.await()
				.until(() -> server.context()
					.getBean(NettyTcpServerConnectionFactory.class)
					.getOpenConnectionCount() == 0);
			PrometheusText metrics = server.scrape();
			assertThat(metrics.value("timestamp_tcp_connections_opened_total")).isEqualTo(answered);
			assertThat(metrics.value("timestamp_tcp_connections_closed_total", "reason", "proxy_protocol")).isZero();
		}
	}

	@Test
	void udpBenchAnswersMatchTheServersRequestCount() {
		try (RunningServer server = RunningServer.start()) {
			double before = requests(server, "udp");
			CliRun run = CliRun.piped("", "bench", "udp", "--port", String.valueOf(server.udpPort()), "-c", "4", "-d",
					"2", "-w", "0.5", "--json");
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
			CliRun run = CliRun.piped("", "bench", "tcp", "--port", String.valueOf(server.tcpPort()), "-c", "2", "-d",
					"1", "-w", "0");
			assertThat(run.exitCode()).isZero();
			assertThat(run.out()).contains("req/s").contains("p50").contains("p99.9").contains("errors     0");
			assertThat(run.err()).contains("measure");
		}
	}

	@Test
	void soakRunsEveryKindOfLoadAtOnceAndReportsTheServersMemory() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-frame-bytes=1000")) {
			PrometheusText before = server.scrape();
			// the server runs in this JVM, so this process's RSS is the server's
			CliRun run = CliRun.piped("", "bench", "soak", "--port", String.valueOf(server.tcpPort()), "--udp-port",
					String.valueOf(server.udpPort()), "--max-frame-bytes", "1000", "-c", "8", "-p", "4", "-d", "2",
					"-w", "0.5", "--server-pid", String.valueOf(ProcessHandle.current().pid()), "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(JsonPath.<Boolean>read(run.out(), "$.clean")).isTrue();
			assertThat(JsonPath.<Number>read(run.out(), "$.tcpAnswered").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(run.out(), "$.udpAnswered").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(run.out(), "$.churnAnswered").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(run.out(), "$.rssAfterBytes").longValue()).isPositive();
			long rejected = JsonPath.<Number>read(run.out(), "$.churnRejected").longValue();
			assertThat(rejected).isPositive();
			PrometheusText after = server.scrape();
			assertThat(after.value("timestamp_frames_rejected_total", "reason", "too_large")
					- before.value("timestamp_frames_rejected_total", "reason", "too_large"))
				.isEqualTo(rejected);
		}
	}

	@Test
	void rejectsImpossibleOptionsWithExitCode2() {
		assertThat(CliRun.piped("", "bench", "udp", "--size", "8").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "smtp").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "tcp", "-c", "0").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "soak", "--framing", "crlf").exitCode()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "tcp", "udp" })
	void printsOneJsonObjectWithTheErrorWhenNothingListens(String transport) throws Exception {
		int closedPort = transport.equals("tcp") ? closedTcpPort() : closedUdpPort();
		CliRun run = CliRun.piped("", "bench", transport, "--port", String.valueOf(closedPort), "-c", "2", "-d", "60",
				"-w", "60", "--json");
		assertThat(run.exitCode()).isEqualTo(1);
		JsonNode json = new ObjectMapper().readTree(run.out());
		assertThat(json.get("error").asString()).isEqualTo("could not reach " + transport + " 127.0.0.1:" + closedPort);
		assertThat(json.get("mode").asString()).isEqualTo(transport);
	}

	private static int closedTcpPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static int closedUdpPort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static double requests(RunningServer server, String transport) {
		return server.scrape().value("timestamp_requests_total", "transport", transport, "outcome", "ok");
	}

}
