package dev.timestamp.metrics;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.UdpTestSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.support.management.IntegrationManagement;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After known traffic through real sockets, the scraped Prometheus text shows exactly
 * that traffic. Each test compares scrapes before and after its own traffic.
 */
@Timeout(60)
class MetricsIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.max-connections=4",
			"--timestamp.tcp.idle-timeout=1s", "--timestamp.tcp.max-frame-bytes=100",
			"--timestamp.udp.max-datagram-bytes=100");

	@Test
	void countsTcpRequestsConnectionsAndBytesExactly() {
		PrometheusText before = scrapeWhenIdle();
		long sentBytes = 0;
		long receivedBytes = 0;
		int requests = 0;
		for (int c = 0; c < 3; c++) {
			try (TcpTestClient client = server.connect()) {
				for (int i = 0; i <= c * 5; i++) {
					String payload = "conn" + c + "-request-" + i;
					client.send(payload + "\n");
					assertStamped(client.readCrlfLine(), payload);
					receivedBytes += payload.length() + 1;
					sentBytes += prefixLength() + payload.length() + 2;
					requests++;
				}
			}
		}
		PrometheusText after = scrapeWhenIdle();
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "tcp"))
			.isEqualTo(requests);
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "error", "transport", "tcp")).isZero();
		assertThat(delta(before, after, "timestamp_request_duration_seconds_count", "transport", "tcp"))
			.isEqualTo(requests);
		assertThat(delta(before, after, "timestamp_received_bytes_total", "transport", "tcp")).isEqualTo(receivedBytes);
		assertThat(delta(before, after, "timestamp_sent_bytes_total", "transport", "tcp")).isEqualTo(sentBytes);
		assertThat(delta(before, after, "timestamp_tcp_connections_opened_total")).isEqualTo(3);
		assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "client")).isEqualTo(3);
		assertThat(after.value("timestamp_tcp_connections_active")).isZero();
	}

	@Test
	void countsUdpRequestsBytesAndDroppedDatagramsExactly() throws IOException {
		PrometheusText before = scrapeWhenIdle();
		long bytes = 0;
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			for (int i = 0; i < 7; i++) {
				byte[] payload = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
				socket.send(server.udpPort(), payload).receive();
				bytes += payload.length;
			}
			socket.send(server.udpPort(), new byte[101]);
		}
		long expectedBytes = bytes;
		Awaitility.await()
			.until(() -> delta(before, scrape(), "timestamp_udp_datagrams_dropped_total", "reason", "too_large") == 1);
		PrometheusText after = scrape();
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "udp")).isEqualTo(7);
		assertThat(delta(before, after, "timestamp_request_duration_seconds_count", "transport", "udp")).isEqualTo(7);
		assertThat(delta(before, after, "timestamp_received_bytes_total", "transport", "udp"))
			.isEqualTo(expectedBytes + 101);
		assertThat(delta(before, after, "timestamp_sent_bytes_total", "transport", "udp"))
			.isEqualTo(expectedBytes + 7L * prefixLength());
	}

	@Test
	void dropsAndCountsDatagramsFromPrivilegedSourcePorts() throws IOException {
		DatagramSocket privileged = null;
		for (int port = 1023; port > 900 && privileged == null; port--) {
			try {
				privileged = new DatagramSocket(port, InetAddress.getLoopbackAddress());
			}
			catch (java.net.SocketException ex) {
				// taken, or not allowed for this user
			}
		}
		Assumptions.assumeTrue(privileged != null, "binding a port below 1024 needs root or CAP_NET_BIND_SERVICE");
		PrometheusText before = scrapeWhenIdle();
		try (DatagramSocket fromPrivilegedPort = privileged) {
			byte[] request = "loop?".getBytes(StandardCharsets.US_ASCII);
			fromPrivilegedPort
				.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), server.udpPort()));
		}
		Awaitility.await()
			.until(() -> delta(before, scrape(), "timestamp_udp_datagrams_dropped_total", "reason",
					"privileged_source_port") == 1);
		assertThat(delta(before, scrape(), "timestamp_requests_total", "outcome", "ok", "transport", "udp")).isZero();
	}

	@Test
	void countsAnOversizedFrameAsARejectedFrameAFailedRequestAndAClose() {
		PrometheusText before = scrapeWhenIdle();
		try (TcpTestClient client = server.connect()) {
			client.send("x".repeat(101) + "\n");
			assertThat(client.readLine()).isEqualTo("ERR frame exceeds 100 bytes");
		}
		PrometheusText after = scrapeWhenIdle();
		assertThat(delta(before, after, "timestamp_frames_rejected_total", "reason", "too_large")).isEqualTo(1);
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "error", "transport", "tcp"))
			.isEqualTo(1);
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "tcp")).isZero();
		assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "frame_too_large"))
			.isEqualTo(1);
		assertThat(delta(before, after, "timestamp_sent_bytes_total", "transport", "tcp"))
			.isEqualTo("ERR frame exceeds 100 bytes\r\n".length());
	}

	@Test
	void requestsLeftUnansweredWhenAConnectionEndsAreNeitherCountedNorTimed() throws Exception {
		PrometheusText before = scrapeWhenIdle();
		// Pipelines far more than the reply cap without reading: the server pauses with
		// requests read but not decoded, and the idle timeout then closes the connection.
		try (TcpTestClient neverReads = server.connect()) {
			Thread writer = new Thread(() -> {
				byte[] lines = "0123456789abcdef\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
				try {
					for (int i = 0; i < 200; i++) {
						neverReads.send(lines);
					}
				}
				catch (RuntimeException closedByServer) {
					// expected once the idle timeout closes the connection
				}
			});
			writer.start();
			writer.join(30_000);
		}
		PrometheusText after = scrapeWhenIdle();
		long answered = delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "tcp");
		assertThat(answered).isPositive();
		assertThat(delta(before, after, "timestamp_request_duration_seconds_count", "transport", "tcp"))
			.isEqualTo(answered);
	}

	@Test
	void countsAnIdleTimeoutClose() {
		PrometheusText before = scrapeWhenIdle();
		try (TcpTestClient idle = server.connect()) {
			assertThat(idle.isClosedByServer()).isTrue();
		}
		PrometheusText after = scrapeWhenIdle();
		assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "idle")).isEqualTo(1);
	}

	@Test
	void countsAConnectionRejectedOverTheLimit() {
		PrometheusText before = scrapeWhenIdle();
		List<TcpTestClient> admitted = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				TcpTestClient client = server.connect();
				client.send("hi\n");
				client.readCrlfLine();
				admitted.add(client);
			}
			assertThat(scrape().value("timestamp_tcp_connections_active")).isEqualTo(4);
			try (TcpTestClient rejected = server.connect()) {
				assertThat(rejected.isClosedByServer()).isTrue();
			}
		}
		finally {
			admitted.forEach(TcpTestClient::close);
		}
		PrometheusText after = scrapeWhenIdle();
		assertThat(delta(before, after, "timestamp_tcp_connections_rejected_total", "reason", "limit")).isEqualTo(1);
		assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "limit")).isEqualTo(1);
		assertThat(delta(before, after, "timestamp_tcp_connections_opened_total")).isEqualTo(5);
	}

	@Test
	void scrapeIsValidExpositionFormatWithTheApplicationTagOnEveryServiceMeter() {
		HttpResult scrape = server.get("/actuator/prometheus");
		assertThat(scrape.status()).isEqualTo(200);
		PrometheusText text = PrometheusText.parse(scrape.body());
		assertThat(text.samples().keySet().stream().filter((key) -> key.startsWith("timestamp_"))).isNotEmpty()
			.allSatisfy((key) -> assertThat(key).contains("application=\"timestamp-service\""));
		assertThat(text.has("jvm_memory_used_bytes")).isTrue();
		assertThat(text.has("process_cpu_usage")).isTrue();
	}

	@Test
	void everyMeterExistsAtZeroFromStartUp() {
		try (RunningServer fresh = RunningServer.start()) {
			PrometheusText text = fresh.scrape();
			for (String transport : new String[] { "tcp", "udp" }) {
				assertThat(text.value("timestamp_requests_total", "transport", transport, "outcome", "ok")).isZero();
				assertThat(text.value("timestamp_requests_total", "transport", transport, "outcome", "error")).isZero();
				assertThat(text.value("timestamp_request_duration_seconds_count", "transport", transport)).isZero();
				assertThat(text.value("timestamp_received_bytes_total", "transport", transport)).isZero();
				assertThat(text.value("timestamp_sent_bytes_total", "transport", transport)).isZero();
			}
			assertThat(text.value("timestamp_tcp_connections_active")).isZero();
			assertThat(text.value("timestamp_tcp_connections_opened_total")).isZero();
			for (String reason : new String[] { "client", "idle", "frame_too_large", "limit", "error", "shutdown" }) {
				assertThat(text.value("timestamp_tcp_connections_closed_total", "reason", reason)).isZero();
			}
			assertThat(text.value("timestamp_tcp_connections_rejected_total", "reason", "limit")).isZero();
			assertThat(text.value("timestamp_frames_rejected_total", "reason", "too_large")).isZero();
			assertThat(text.value("timestamp_frames_rejected_total", "reason", "malformed")).isZero();
			for (String reason : new String[] { "too_large", "send_failed", "send_queue_full", "rate_limited",
					"privileged_source_port" }) {
				assertThat(text.value("timestamp_udp_datagrams_dropped_total", "reason", reason)).isZero();
			}
		}
	}

	@Test
	void springIntegrationLogsNoMessageOfTheRequestFlowsUnlessItsLoggerIsAtDebug() {
		assertThat(requestFlowComponents(server.running())).isNotEmpty()
			.allSatisfy((name, component) -> assertThat(component.isLoggingEnabled()).as(name).isFalse());
		try (RunningServer debug = RunningServer.start("--logging.level.org.springframework.integration=debug")) {
			assertThat(requestFlowComponents(debug)).isNotEmpty()
				.allSatisfy((name, component) -> assertThat(component.isLoggingEnabled()).as(name).isTrue());
		}
	}

	/** The channels and handlers of the request flows. */
	private static Map<String, IntegrationManagement> requestFlowComponents(RunningServer server) {
		Map<String, IntegrationManagement> components = new TreeMap<>(
				server.context().getBeansOfType(IntegrationManagement.class));
		components.keySet().removeIf((name) -> !name.startsWith("tcpFlow.") && !name.startsWith("udpFlow."));
		// inbound adapters log nothing per message, so they have no such switch
		components.values().removeIf(MessageProducerSupport.class::isInstance);
		return components;
	}

	@Test
	void springIntegrationTimesNoMessageOfTheRequestFlowsUnlessAsked() {
		try (TcpTestClient client = server.connect()) {
			client.send("timed?\n");
			assertStamped(client.readCrlfLine(), "timed?");
		}
		PrometheusText text = scrape();
		assertThat(text.has("spring_integration_channels")).isTrue();
		assertThat(text.samples().keySet()).noneMatch((key) -> key.startsWith("spring_integration_send")
				&& (key.contains("tcpFlow") || key.contains("udpFlow")));

		try (RunningServer timed = RunningServer.start("--timestamp.metrics.flow-timers=true");
				TcpTestClient client = timed.connect()) {
			client.send("timed!\n");
			assertStamped(client.readCrlfLine(), "timed!");
			assertThat(timed.scrape().samples().keySet())
				.anyMatch((key) -> key.startsWith("spring_integration_send_seconds_count") && key.contains("tcpFlow"));
		}
	}

	@Test
	void serviceMetersCanBeSwitchedOff() {
		try (RunningServer quiet = RunningServer.start("--timestamp.metrics.enabled=false");
				TcpTestClient client = quiet.connect()) {
			client.send("still answered\n");
			assertStamped(client.readCrlfLine(), "still answered");
			PrometheusText text = quiet.scrape();
			assertThat(text.samples().keySet()).noneMatch((key) -> key.startsWith("timestamp_"));
			assertThat(text.has("jvm_memory_used_bytes")).isTrue();
		}
	}

	private static PrometheusText scrape() {
		return server.scrape();
	}

	@Test
	void readsTheWallTimeFromTheTickingClock() {
		assertThat(server.context().getBean(MeterRegistry.class).config().clock()).isInstanceOf(TickingClock.class);
	}

	/** Scrapes once every connection is closed and counted. */
	private static PrometheusText scrapeWhenIdle() {
		Awaitility.await().until(() -> scrape().value("timestamp_tcp_connections_active") == 0);
		return scrape();
	}

}
