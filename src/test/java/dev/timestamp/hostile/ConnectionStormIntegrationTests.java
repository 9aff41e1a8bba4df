package dev.timestamp.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Floods past the connection cap and storms of connections that end badly (resets, closes
 * right after connect or mid-request): the server stays up, leaks no connection (the
 * active gauge returns to exactly 0) and serves new clients afterwards.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class ConnectionStormIntegrationTests {

	private static final int CAP = 50;

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.max-connections=" + CAP);

	@Test
	void servesTheFirstConnectionsUpToTheCapAndClosesTheRestOfAFlood() throws IOException {
		assertThat(ConnectionFlood.served(server.tcpPort(), 6 * CAP))
			.containsExactlyElementsOf(IntStream.range(0, CAP).boxed().toList());
		assertEveryConnectionIsGoneAndANewClientIsServed();
	}

	@Test
	void leaksNothingAfterAStormOfResetsAndAbruptCloses(CapturedOutput output) throws Exception {
		PrometheusText before = server.scrape();
		long seed = new SplittableRandom().nextLong();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> storms = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				long threadSeed = seed + t;
				storms.add(threads.submit(() -> {
					storm(new SplittableRandom(threadSeed), 250);
					return null;
				}));
			}
			for (Future<?> storm : storms) {
				storm.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertEveryConnectionIsGoneAndANewClientIsServed();
		PrometheusText after = server.scrape();
		double opened = after.value("timestamp_tcp_connections_opened_total")
				- before.value("timestamp_tcp_connections_opened_total");
		double closed = 0;
		for (String reason : new String[] { "client", "idle", "frame_too_large", "limit", "error", "shutdown" }) {
			closed += after.value("timestamp_tcp_connections_closed_total", "reason", reason)
					- before.value("timestamp_tcp_connections_closed_total", "reason", reason);
		}
		// the client that proved the server still serves has closed too
		assertThat(closed).as("seed " + seed).isEqualTo(opened);
		assertThat(output.getAll()).doesNotContain("\tat ");
	}

	/** Connections that end in every bad way, at random. */
	private static void storm(SplittableRandom random, int connections) throws IOException {
		for (int i = 0; i < connections; i++) {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", server.tcpPort()), 5000);
			QuietWriter out = new QuietWriter(socket);
			switch (random.nextInt(5)) {
				case 0 -> socket.close();
				case 1 -> reset(socket);
				case 2 -> {
					out.write("half a requ");
					reset(socket);
				}
				case 3 -> {
					out.write("a request whose reply nobody reads\n".repeat(1 + random.nextInt(100)));
					reset(socket);
				}
				default -> {
					out.write("half a request, then FIN");
					socket.close();
				}
			}
		}
	}

	private static void assertEveryConnectionIsGoneAndANewClientIsServed() {
		NettyTcpServerConnectionFactory factory = server.context().getBean(NettyTcpServerConnectionFactory.class);
		Awaitility.await()
			.until(() -> server.scrape().value("timestamp_tcp_connections_active") == 0
					&& factory.getOpenConnectionCount() == 0);
		try (TcpTestClient client = server.connect()) {
			client.send("after the storm\n");
			assertStamped(client.readCrlfLine(), "after the storm");
		}
		Awaitility.await().until(() -> server.scrape().value("timestamp_tcp_connections_active") == 0);
	}

	private static void reset(Socket socket) throws IOException {
		socket.setSoLinger(true, 0);
		socket.close();
	}

	/**
	 * Writes without the stream ceremony; the storm ignores failures of connections the
	 * server closed.
	 */
	private record QuietWriter(Socket socket) {

		void write(String text) {
			try {
				this.socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// the server may have closed it already
			}
		}

	}

}
