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

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and silent clients against a real server process started with the image's memory
 * flags and a 64 MB heap: the bound is the process itself (a server that buffered without
 * limit would run out of memory), and the number of threads does not grow with
 * connections.
 */
@Timeout(180)
class SlowAndSilentClientsProcessTests {

	private static final List<String> JVM = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
			"-XX:+UseSerialGC");

	private static ServerProcess server;

	private static int tcpPort;

	private static int httpPort;

	@BeforeAll
	static void start() throws Exception {
		// Without the raw fallback: a byte-at-a-time client that pauses longer than it
		// would
		// be served as raw, each byte a request (README, Security), and is then not idle.
		server = ServerProcess.start(JVM, "--timestamp.io-threads=2", "--timestamp.tcp.idle-timeout=2s",
				"--timestamp.tcp.max-queued-reply-bytes=65536", "--timestamp.tcp.raw-fallback-after=0");
		tcpPort = Integer.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
		httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
		// Every event loop has run once, so the thread count that follows is the steady
		// one.
		for (int i = 0; i < 8; i++) {
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				client.send("warm-up\n");
				assertStamped(client.readCrlfLine(), "warm-up");
			}
		}
	}

	@AfterAll
	static void stop() throws Exception {
		server.close();
		assertThat(server.output()).as("no stack trace in the server's log").doesNotContain("\tat ");
	}

	@Test
	void closesAThousandByteAtATimeClientsOnTheIdleTimeoutWhileServingAGoodOne() throws Exception {
		PrometheusText before = scrape();
		double threadsBefore = before.value("jvm_threads_live_threads");
		List<SocketChannel> slow = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", tcpPort));
			channel.configureBlocking(false);
			slow.add(channel);
		}
		double threadsMost = threadsBefore;
		int goodReplies = 0;
		try (TcpTestClient good = new TcpTestClient(tcpPort)) {
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
		// Each would queue ~40 MB of replies if the server kept reading: 400 MB in all,
		// with
		// 64 MB of heap and 64 MB of direct memory.
		List<Thread> writers = new ArrayList<>();
		List<Socket> silent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Socket socket = new Socket("127.0.0.1", tcpPort);
			silent.add(socket);
			Thread writer = new Thread(() -> pipelineWithoutReading(socket, 12L << 20));
			writer.start();
			writers.add(writer);
		}
		try (TcpTestClient good = new TcpTestClient(tcpPort)) {
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
		PrometheusText after = scrape();
		// the idle timeout ended each of them: a paused connection completes no request
		assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "idle")).isEqualTo(10);
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

	/** Writes requests until the server's closing the connection makes a write fail. */
	private static void pipelineWithoutReading(Socket socket, long bytes) {
		byte[] batch = "0123456789\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
		try {
			OutputStream out = socket.getOutputStream();
			for (long sent = 0; sent < bytes; sent += batch.length) {
				out.write(batch);
			}
		}
		catch (IOException ex) {
			// closed by the server
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

	private static PrometheusText scrape() {
		return PrometheusText.scrape(httpPort);
	}

}
