package dev.timestamp.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.CliRun;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.ServerProcess;
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

	/**
	 * Against a server in a JVM of its own, as the README runs it: its RSS and threads
	 * are its own, and {@code jcmd} can reach it.
	 */
	@Test
	void idleHoldsEveryConnectionAndChecksTheServersGaugeWhileOpenAndAfter() throws Exception {
		try (ServerProcess server = ServerProcess.start(List.of())) {
			Duration startup = Duration.ofSeconds(90);
			String tcpPort = server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", startup);
			String httpPort = server.await("Netty started on port (\\d+)", startup);
			CliRun run = CliRun.piped("", "bench", "idle", "--port", tcpPort, "-c", "300", "-d", "0.5",
					"--local-addresses", "127.0.0.1,127.0.0.2", "--metrics-url",
					"http://127.0.0.1:" + httpPort + "/actuator/prometheus", "--server-pid",
					String.valueOf(server.pid()), "--gc", "--json");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			assertThat(run.err()).doesNotContain("GC.run failed");
			assertThat(JsonPath.<Number>read(run.out(), "$.connected").longValue()).isEqualTo(300);
			assertThat(JsonPath.<Number>read(run.out(), "$.closedByServer").longValue()).isZero();
			long before = JsonPath.<Number>read(run.out(), "$.activeBefore").longValue();
			assertThat(before).isZero();
			assertThat(JsonPath.<Number>read(run.out(), "$.activeWhileOpen").longValue()).isEqualTo(300);
			assertThat(JsonPath.<Number>read(run.out(), "$.activeAfter").longValue()).isZero();
			assertThat(JsonPath.<Boolean>read(run.out(), "$.gaugeExact")).isTrue();
			assertThat(JsonPath.<Number>read(run.out(), "$.rssWhileOpenBytes").longValue()).isPositive();
			assertThat(JsonPath.<Number>read(run.out(), "$.threadsWhileOpen").longValue()).isPositive();
		}
	}

	@Test
	void idleIsCleanOnlyWhenEveryConnectionStayedOpenAndTheGaugeWasExact() {
		BenchOptions options = new BenchOptions();
		options.connections = 300;
		options.metricsUrl = "http://127.0.0.1:8080/actuator/prometheus";
		IdleConnections.Reading before = new IdleConnections.Reading(1000, 20, 4);
		IdleConnections.Reading open = new IdleConnections.Reading(2000, 20, 304);
		IdleConnections.Reading after = new IdleConnections.Reading(2000, 20, 4);
		assertThat(new IdleConnections.Result(options, 300, 0, 0, 1.0, before, open, after, null).clean()).isTrue();
		assertThat(new IdleConnections.Result(options, 300, 0, 1, 1.0, before, open, after, null).clean()).isFalse();
		assertThat(new IdleConnections.Result(options, 299, 1, 0, 1.0, before, open, after, "refused").clean())
			.isFalse();
		assertThat(new IdleConnections.Result(options, 300, 0, 0, 1.0, before,
				new IdleConnections.Reading(2000, 20, 303), after, null)
			.clean()).isFalse();
		assertThat(new IdleConnections.Result(options, 300, 0, 0, 1.0, before, open,
				new IdleConnections.Reading(2000, 20, 5), null)
			.clean()).isFalse();
		IdleConnections.Reading unknown = new IdleConnections.Reading(-1, -1, -1);
		assertThat(new IdleConnections.Result(options, 300, 0, 0, 1.0, unknown, unknown, unknown, null).clean())
			.as("the gauge was asked for and could not be read")
			.isFalse();
		options.metricsUrl = "";
		assertThat(new IdleConnections.Result(options, 300, 0, 0, 1.0, unknown, unknown, unknown, null).clean())
			.isTrue();
	}

	@Test
	void idleReadsTheGaugeSummedOverItsSeries() {
		String text = """
				# HELP timestamp_tcp_connections_active TCP connections open now
				# TYPE timestamp_tcp_connections_active gauge
				timestamp_tcp_connections_active{application="timestamp-service"} 12.0
				timestamp_tcp_connections_active_other 5.0
				""";
		assertThat(IdleConnections.gauge(text)).isEqualTo(12);
		assertThat(IdleConnections.gauge("timestamp_tcp_connections_active 3.0\n")).isEqualTo(3);
		assertThat(IdleConnections.gauge("other 1.0\n")).isEqualTo(-1);
	}

	@Test
	void rejectsImpossibleOptionsWithExitCode2() {
		assertThat(CliRun.piped("", "bench", "udp", "--size", "8").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "smtp").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "tcp", "-c", "0").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "soak", "--framing", "crlf").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "idle", "--proxy-protocol", "v1").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "bench", "idle", "--gc").exitCode()).isEqualTo(2);
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
