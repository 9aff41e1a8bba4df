package dev.timestamp.hostile;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.IoUringHere;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.TestCertificates;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More clients than the process has file descriptors for
 * ({@code prlimit --nofile=256:256}, 400 clients): the server warns once at start-up,
 * sheds the excess on accept, keeps answering its health probes, and serves new clients
 * once others leave. On both TCP transports: io_uring closes sockets asynchronously, and
 * with multishot accept it once ran the process out of descriptors here.
 */
@Timeout(180)
class DescriptorExhaustionProcessTests {

	@ParameterizedTest(name = "timestamp.tcp.transport={0}")
	@ValueSource(strings = { "epoll", "io-uring" })
	void shedsConnectionsBeyondTheDescriptorLimitAndKeepsAnsweringProbes(String transport) throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")),
				"needs prlimit (util-linux) to lower the server's descriptor limit");
		IoUringHere.assumeAllowedFor(transport);
		try (ServerProcess server = ServerProcess.startUnder(List.of("/usr/bin/prlimit", "--nofile=256:256"), List.of(),
				"--timestamp.tcp.transport=" + transport,
				"--logging.level.dev.timestamp.tcp.ConnectionAccounting=debug")) {
			int tcpPort = Integer
				.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
			assertThat(server.output())
				.contains("timestamp.tcp.max-connections=10000 exceeds what the file-descriptor limit (256) allows");
			List<Socket> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 400; i++) {
					clients.add(connect(tcpPort));
				}
				HttpResult health = HttpResult.get(httpPort, "/actuator/health");
				assertThat(health.status()).isEqualTo(200);
				// every connection has been accepted, and admitted or shed (a shed one is
				// closed asynchronously on io_uring)
				Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					PrometheusText now = PrometheusText.scrape(httpPort);
					double admitted = now.value("timestamp_tcp_connections_active");
					double shed = now.value("timestamp_tcp_connections_rejected_total", "reason", "limit");
					assertThat(now.value("timestamp_tcp_connections_opened_total")).as("accepted").isEqualTo(400);
					assertThat(admitted + shed).as("admitted (%s) and shed (%s)", admitted, shed).isEqualTo(400);
				});
				PrometheusText metrics = PrometheusText.scrape(httpPort);
				double active = metrics.value("timestamp_tcp_connections_active");
				assertThat(active).isPositive().isLessThan(256);
				assertThat(metrics.value("timestamp_tcp_connections_rejected_total", "reason", "limit"))
					.isEqualTo(400 - active);
			}
			finally {
				for (Socket client : clients) {
					client.close();
				}
			}
			// The clients have left once the server has seen them go: until it has read
			// their FINs and closed (asynchronously, on io_uring) they hold their places.
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.untilAsserted(
						() -> assertThat(PrometheusText.scrape(httpPort).value("timestamp_tcp_connections_active"))
							.as("active")
							.isZero());
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				client.send("served again\n");
				assertStamped(client.readCrlfLine(), "served again");
			}
			catch (RuntimeException | AssertionError ex) {
				PrometheusText now = PrometheusText.scrape(httpPort);
				throw new AssertionError("a new client was not served once the others had left (opened "
						+ now.value("timestamp_tcp_connections_opened_total") + ", active "
						+ now.value("timestamp_tcp_connections_active") + "); the server's output:\n" + server.output(),
						ex);
			}
			assertThat(server.output()).doesNotContain("Too many open files")
				.doesNotContain("reached at the tail of the pipeline")
				.doesNotContain("\tat ");
		}
	}

	@Test
	void everyListenerDrawsOnTheSameDescriptors(@TempDir Path certificatesDir) throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")),
				"needs prlimit (util-linux) to lower the server's descriptor limit");
		TestCertificates certificates = TestCertificates.create(certificatesDir);
		// TLS clients that never start their handshake hold their connections as long as
		// the plain ones do.
		try (ServerProcess server = ServerProcess.startUnder(List.of("/usr/bin/prlimit", "--nofile=1024:1024"),
				List.of(),
				certificates
					.serverArguments("--timestamp.tls.handshake-timeout=120s",
							"--logging.level.dev.timestamp.tcp.admission.ConnectionAccounting=debug")
					.toArray(String[]::new))) {
			int tcpPort = Integer
				.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			int tlsPort = Integer
				.parseInt(server.await("TLS listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
			List<Socket> clients = new ArrayList<>();
			try {
				// Each listener alone is allowed nearly all of them.
				for (int i = 0; i < 600; i++) {
					clients.add(connect(tcpPort));
					clients.add(connect(tlsPort));
				}
				Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					PrometheusText now = PrometheusText.scrape(httpPort);
					assertThat(now.value("timestamp_tcp_connections_opened_total")).as("TCP accepted").isEqualTo(600);
					assertThat(now.value("timestamp_tls_connections_opened_total")).as("TLS accepted").isEqualTo(600);
				});
				HttpResult health = HttpResult.get(httpPort, "/actuator/health");
				assertThat(health.status()).isEqualTo(200);
				PrometheusText metrics = PrometheusText.scrape(httpPort);
				assertThat(metrics.value("timestamp_tcp_connections_active")).isPositive();
				assertThat(metrics.value("timestamp_tls_connections_active")).isPositive();
				int budget = Integer.parseInt(server.await("at most (\\d+) connections", Duration.ofSeconds(1)));
				assertThat(metrics.value("timestamp_tcp_connections_active")
						+ metrics.value("timestamp_tls_connections_active"))
					.as("admitted on both listeners")
					.isLessThanOrEqualTo(budget);
			}
			finally {
				for (Socket client : clients) {
					client.close();
				}
			}
			assertThat(server.output()).doesNotContain("Too many open files").doesNotContain("\tat ");
		}
	}

	@Test
	void udpSocketsForAddressesFoundLaterDrawOnTheSameDescriptors() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")),
				"needs prlimit (util-linux) to lower the server's descriptor limit");
		try (ServerProcess server = ServerProcess.startUnder(List.of("/usr/bin/prlimit", "--nofile=512:512"), List.of(),
				"--timestamp.bind-address=0.0.0.0", "--timestamp.io-threads=1",
				"--timestamp.udp.max-address-sockets=65535", "--timestamp.udp.address-socket-idle-timeout=1h")) {
			int udpPort = Integer.parseInt(server.await("UDP listening on .*:(\\d+)", Duration.ofSeconds(60)));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
			int budget = Integer.parseInt(server.await("at most (\\d+) connections", Duration.ofSeconds(1)));
			// Each loopback address asked for the first time takes a socket of its own.
			// In
			// batches, each seen by the server before the next, so that the wildcard
			// socket's receive queue never overflows.
			int addresses = 500;
			try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
				for (int batch = 0; batch < addresses; batch += 50) {
					for (int i = batch; i < batch + 50; i++) {
						byte[] request = "hello".getBytes(StandardCharsets.US_ASCII);
						InetAddress to = InetAddress
							.getByAddress(new byte[] { 127, 1, (byte) (i / 250), (byte) (1 + i % 250) });
						client.send(new DatagramPacket(request, request.length, to, udpPort));
					}
					int sent = batch + 50;
					Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
						PrometheusText now = PrometheusText.scrape(httpPort);
						assertThat(now.value("timestamp_udp_address_sockets")
								+ now.value("timestamp_udp_datagrams_dropped_total", "reason", "address_sockets"))
							.as("datagrams given an address socket or dropped")
							.isEqualTo(sent);
					});
				}
			}
			assertThat(HttpResult.get(httpPort, "/actuator/health").status()).isEqualTo(200);
			assertThat(PrometheusText.scrape(httpPort).value("timestamp_udp_address_sockets")).isPositive()
				.isLessThanOrEqualTo(budget);
			assertThat(server.output()).doesNotContain("Too many open files").doesNotContain("\tat ");
		}
	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		return socket;
	}

}
