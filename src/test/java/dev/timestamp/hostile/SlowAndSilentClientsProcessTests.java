package dev.timestamp.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and silent clients against a real server process started with the image's memory
 * flags and a 64 MB heap: the bound is the process itself (a server that buffered without
 * limit would run out of memory), and the number of threads does not grow with
 * connections. On the default TCP transport;
 * {@link SlowAndSilentClientsOnIoUringProcessTests} runs the same on io_uring.
 */
@Timeout(180)
@TestInstance(Lifecycle.PER_CLASS)
class SlowAndSilentClientsProcessTests {

	private static final List<String> JVM = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
			"-XX:+UseSerialGC");

	private ServerProcess server;

	private int tcpPort;

	private int httpPort;

	/** Extra arguments for the server, such as the TCP transport. */
	List<String> serverArguments() {
		return List.of();
	}

	@BeforeAll
	void start() throws Exception {
		// Without the raw fallback: a byte-at-a-time client that pauses longer than it
		// would be served as raw, each byte a request (docs/security.md), and is then not
		// idle.
		List<String> arguments = new ArrayList<>(List.of("--timestamp.io-threads=2", "--timestamp.tcp.idle-timeout=2s",
				"--timestamp.tcp.max-queued-reply-bytes=65536", "--timestamp.tcp.raw-fallback-after=0"));
		arguments.addAll(serverArguments());
		this.server = ServerProcess.start(JVM, arguments.toArray(String[]::new));
		this.tcpPort = Integer
			.parseInt(this.server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
		this.httpPort = Integer.parseInt(this.server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
		// Every event loop has run once, so the thread count that follows is the steady
		// one.
		for (int i = 0; i < 8; i++) {
			try (TcpTestClient client = new TcpTestClient(this.tcpPort)) {
				client.send("warm-up\n");
				assertStamped(client.readCrlfLine(), "warm-up");
			}
		}
	}

	@AfterAll
	void stop() throws Exception {
		this.server.close();
		assertThat(this.server.output()).as("no stack trace in the server's log").doesNotContain("\tat ");
	}

	@Test
	void closesAThousandByteAtATimeClientsOnTheIdleTimeoutWhileServingAGoodOne() throws Exception {
		PrometheusText before = scrape();
		double threadsBefore = before.value("jvm_threads_live_threads");
		List<SocketChannel> slow = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.tcpPort));
			channel.configureBlocking(false);
			slow.add(channel);
		}
		double threadsMost = threadsBefore;
		int goodReplies = 0;
		try (TcpTestClient good = new TcpTestClient(this.tcpPort)) {
			while (!slow.isEmpty()) {
				// one more byte of a line that never ends, from each slow client still
				// open
				slow.removeIf(SlowAndSilentClientsProcessTests::trickleOrSeeClosed);
				good.send("good " + goodReplies + "\n");
				assertStamped(good.readCrlfLine(), "good " + goodReplies);
				goodReplies++;
				threadsMost = Math.max(threadsMost, scrape().value("jvm_threads_live_threads"));
				Thread.sleep(200);
			}
			PrometheusText after = scrape();
			assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "idle"))
				.isEqualTo(1000);
			assertThat(after.value("timestamp_tcp_connections_active")).isEqualTo(1);
		}
		assertThat(threadsMost).as("live threads while 1000 connections were open")
			.isLessThanOrEqualTo(threadsBefore + 2);
		Awaitility.await().until(() -> scrape().value("timestamp_tcp_connections_active") == 0);
	}

	@Test
	void aClientThatNeverReadsCannotExhaustMemoryOrSlowOthers() throws Exception {
		PrometheusText before = scrape();
		// Each would queue ~40 MB of replies if the server kept answering: 400 MB in all,
		// with 64 MB of heap and 64 MB of direct memory. Each writes until the server
		// closes its connection, or gives up after 4 GB: far more than the socket buffers
		// hold and than the server drains in the 2 s it waits for a client to read.
		AtomicInteger closedByServer = new AtomicInteger();
		List<Thread> writers = new ArrayList<>();
		List<Socket> silent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Socket socket = new Socket("127.0.0.1", this.tcpPort);
			silent.add(socket);
			Thread writer = new Thread(() -> {
				if (pipelineWithoutReading(socket, 4L << 30)) {
					closedByServer.incrementAndGet();
				}
			});
			writer.start();
			writers.add(writer);
		}
		try (TcpTestClient good = new TcpTestClient(this.tcpPort)) {
			for (int i = 0; writers.stream().anyMatch(Thread::isAlive); i++) {
				good.send("good " + i + "\n");
				assertStamped(good.readCrlfLine(), "good " + i);
				Thread.sleep(100);
			}
		}
		for (Thread writer : writers) {
			writer.join();
		}
		silent.forEach(SlowAndSilentClientsProcessTests::closeQuietly);
		// the idle timeout ended each of them (a paused connection completes no request),
		// though its client neither read the replies queued for it nor stopped sending
		assertThat(closedByServer).as("connections the server closed").hasValue(10);
		Awaitility.await()
			.until(() -> delta(before, scrape(), "timestamp_tcp_connections_closed_total", "reason", "idle") == 10);
		PrometheusText after = scrape();
		assertThat(after.value("jvm_memory_used_bytes", "area", "heap", "id", "Tenured Gen")).isLessThan(64 << 20);
		Awaitility.await().until(() -> scrape().value("timestamp_tcp_connections_active") == 0);
	}

	/** Returns true once the server has closed the channel. */
	private static boolean trickleOrSeeClosed(SocketChannel channel) {
		try {
			if (channel.read(ByteBuffer.allocate(64)) < 0) {
				channel.close();
				return true;
			}
			channel.write(ByteBuffer.wrap(new byte[] { 'x' }));
			return false;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			return true;
		}
	}

	/**
	 * Writes requests until the server's closing the connection makes a write fail
	 * (returns true), or until {@code bytes} are written (false).
	 */
	private static boolean pipelineWithoutReading(Socket socket, long bytes) {
		byte[] batch = "0123456789\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
		try {
			OutputStream out = socket.getOutputStream();
			for (long sent = 0; sent < bytes; sent += batch.length) {
				out.write(batch);
			}
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already gone
		}
	}

	private PrometheusText scrape() {
		return PrometheusText.scrape(this.httpPort);
	}

}
