package dev.timestamp.clock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.UdpTestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Time and Daytime listeners keep the timestamp listeners' guards, each counted under
 * their own meters: the TCP caps, PROXY protocol and graceful drain, the UDP source-port
 * floor and rate limit.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class TimeProtocolGuardsIntegrationTests {

	private static final String[] TIME = { "--timestamp.rfc868.enabled=true", "--timestamp.rfc868.port=0" };

	@Test
	void aProxiedConnectionIsAnsweredOnceItsHeaderArrives() throws IOException {
		try (RunningServer server = start("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1/32"); Socket proxied = connect(server)) {
			proxied.getOutputStream()
				.write("PROXY TCP4 203.0.113.7 127.0.0.1 40000 37\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(proxied.getInputStream().readAllBytes()).hasSize(4);
		}
	}

	@Test
	void aConnectionWithoutTheRequiredHeaderIsClosedUnanswered() throws IOException {
		try (RunningServer server = start("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1/32",
				"--timestamp.tcp.proxy-protocol.header-timeout=200ms")) {
			try (Socket silent = connect(server)) {
				assertThat(silent.getInputStream().readAllBytes()).isEmpty();
			}
			assertThat(server.scrape().value("timestamp_rfc868_connections_closed_total", "reason", "proxy_protocol"))
				.isEqualTo(1);
		}
	}

	@Test
	void aConnectionOverTheCapIsClosedUnansweredAndCounted() throws IOException {
		// A trusted peer's connection waits for its PROXY header, holding the one slot.
		try (RunningServer server = start("--timestamp.tcp.max-connections=1",
				"--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1/32"); Socket holder = connect(server)) {
			Awaitility.await().until(() -> server.scrape().value("timestamp_rfc868_connections_active") == 1);
			try (Socket overTheCap = connect(server)) {
				assertThat(overTheCap.getInputStream().readAllBytes()).isEmpty();
			}
			PrometheusText meters = server.scrape();
			assertThat(meters.value("timestamp_rfc868_connections_rejected_total", "reason", "limit")).isEqualTo(1);
			assertThat(meters.value("timestamp_tcp_connections_rejected_total", "reason", "limit")).isZero();
		}
	}

	@Test
	void theGracefulShutdownDrainsTheTimeListenersToo(CapturedOutput output) throws Exception {
		RunningServer server = start("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1/32");
		// The drain waits for the client to close after the server's FIN.
		Thread shutdown = new Thread(server::close);
		try (Socket waiting = connect(server)) {
			Awaitility.await().until(() -> server.scrape().value("timestamp_rfc868_connections_active") == 1);
			shutdown.start();
			assertThat(waiting.getInputStream().readAllBytes()).isEmpty();
		}
		shutdown.join();
		assertThat(output).contains("Draining 1 Time (RFC 868) TCP connection(s)");
	}

	@Test
	void datagramsFromBelowTheSourcePortFloorAreDroppedAndCounted() throws IOException {
		// Every ephemeral port is below the highest floor.
		try (RunningServer server = start("--timestamp.udp.min-source-port=65535");
				UdpTestSocket client = UdpTestSocket.loopback()) {
			client.send(server.udpPort("rfc868"), new byte[0]);
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_rfc868_datagrams_dropped_total", "reason", "privileged_source_port") == 1);
			assertThat(client.drain(200)).isZero();
		}
	}

	@Test
	void oneSourceHasOneRateBudgetAcrossTheTimestampAndTimePorts() {
		try (RunningServer server = start("--timestamp.udp.rate-limit.enabled=true",
				"--timestamp.udp.rate-limit.requests-per-second=1", "--timestamp.udp.rate-limit.burst=2");
				UdpTestSocket client = UdpTestSocket.loopback()) {
			for (int port : List.of(server.udpPort(), server.udpPort("rfc868"), server.udpPort("rfc868"))) {
				client.send(port, new byte[] { 'x' });
			}
			Awaitility.await().until(() -> answered(server.scrape()) + rateLimited(server.scrape()) == 3);
			// The budget of two is spent whichever ports it is spent on; one budget per
			// port would have answered all three.
			PrometheusText meters = server.scrape();
			assertThat(answered(meters)).isEqualTo(2);
			assertThat(rateLimited(meters)).isEqualTo(1);
			assertThat(client.drain(200)).isEqualTo(2);
		}
	}

	private static double answered(PrometheusText meters) {
		return meters.value("timestamp_requests_total", "transport", "udp", "outcome", "ok")
				+ meters.value("timestamp_requests_total", "transport", "rfc868-udp", "outcome", "ok");
	}

	private static double rateLimited(PrometheusText meters) {
		return meters.value("timestamp_udp_datagrams_dropped_total", "reason", "rate_limited")
				+ meters.value("timestamp_rfc868_datagrams_dropped_total", "reason", "rate_limited");
	}

	private static RunningServer start(String... settings) {
		return RunningServer.start(Stream.concat(Stream.of(TIME), Stream.of(settings)).toArray(String[]::new));
	}

	private static Socket connect(RunningServer server) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort("rfc868"));
		socket.setSoTimeout(10_000);
		return socket;
	}

}
