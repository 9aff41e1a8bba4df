package dev.timestamp.hostile;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send without reading their replies, against a server process whose direct
 * memory (where Netty keeps what it has read and what it has not yet sent) is far smaller
 * than their queued replies would fill, each connection staying within
 * {@code max-queued-reply-bytes}: the connections holding the most are closed before
 * direct memory runs out, and a good client is answered throughout.
 */
@Timeout(180)
class MemoryPressureProcessTests {

	private static final List<String> JVM = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m", "-Xss512k",
			"-XX:+UseSerialGC");

	private static final int SILENT_CLIENTS = 200;

	private static final int HOLDERS = 800;

	private static final int BURSTING_CLIENTS = 250;

	private static final int BURST_LINES = 100;

	/**
	 * A fresh server per test: what one flood leaves in the allocator would weigh on the
	 * next.
	 */
	private ServerProcess server;

	private int tcpPort;

	private int httpPort;

	@BeforeEach
	void start() throws Exception {
		this.server = ServerProcess.start(JVM, "--timestamp.io-threads=2");
		this.tcpPort = Integer
			.parseInt(this.server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
		this.httpPort = Integer.parseInt(this.server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
	}

	@AfterEach
	void stop() throws Exception {
		try {
			Awaitility.await().until(() -> scrape().value("timestamp_tcp_connections_active") == 0);
		}
		finally {
			this.server.close();
		}
		assertNoFailedAllocation();
	}

	@Test
	void closesClientsThatDoNotReadBeforeDirectMemoryRunsOutWhileServingAGoodOne() throws Exception {
		PrometheusText before = scrape();
		assertThat(before.value("timestamp_direct_memory_max_bytes")).isEqualTo(32 << 20);
		try (TcpTestClient good = new TcpTestClient(this.tcpPort)) {
			String request = "good ".repeat(400);
			good.send(request + "0\n");
			assertStamped(good.readCrlfLine(), request + "0");
			Thread flood = new Thread(() -> sendWithoutReading(this.tcpPort, Duration.ofSeconds(8)));
			flood.start();
			for (int i = 1; flood.isAlive(); i++) {
				good.send(request + i + "\n");
				assertStamped(good.readCrlfLine(), request + i);
				Thread.sleep(10);
			}
			flood.join();
			assertNoFailedAllocation();
			PrometheusText after = scrape();
			assertThat(delta(before, after, "timestamp_tcp_connections_closed_total", "reason", "memory"))
				.as("connections closed for holding memory")
				.isPositive();
			assertThat(after.value("timestamp_direct_memory_used_bytes")).isLessThan(32 << 20);
		}
	}

	@Test
	void closesClientsHoldingUnfinishedRequestsBeforeDirectMemoryRunsOutWhileServingAGoodOne() throws Exception {
		PrometheusText before = scrape();
		List<Socket> holders = new ArrayList<>();
		try (TcpTestClient good = new TcpTestClient(this.tcpPort)) {
			// Each under the 64 KiB a connection may hold while memory is merely short,
			// together more than the 32 MB there are.
			byte[] unfinished = "x".repeat(60_000).getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < HOLDERS; i++) {
				Socket holder = new Socket("127.0.0.1", this.tcpPort);
				holders.add(holder);
				// a complete first line: a line client, never served as raw
				holder.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
				holder.getOutputStream().write(unfinished);
				good.send("good " + i + "\n");
				assertStamped(good.readCrlfLine(), "good " + i);
			}
			Awaitility.await()
				.until(() -> delta(before, scrape(), "timestamp_tcp_connections_closed_total", "reason", "memory") > 0);
			good.send("still served\n");
			assertStamped(good.readCrlfLine(), "still served");
			assertNoFailedAllocation();
		}
		finally {
			holders.forEach(MemoryPressureProcessTests::closeQuietly);
		}
	}

	@Test
	void servesClientsThatEndABurstWithOneByteOfARequestWithoutTheirReadBuffersFillingMemory() throws Exception {
		PrometheusText before = scrape();
		List<TcpTestClient> holders = new ArrayList<>();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try {
			String line = "x".repeat(1000);
			// Enough back to back for the server's reads to grow to their largest, the
			// last one ending one byte into a request.
			byte[] burst = ((line + "\n").repeat(BURST_LINES) + "y").getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < BURSTING_CLIENTS; i++) {
				TcpTestClient holder = new TcpTestClient(this.tcpPort);
				holders.add(holder);
				Future<?> sent = writer.submit(() -> holder.send(burst));
				for (int reply = 0; reply < BURST_LINES; reply++) {
					assertStamped(holder.readCrlfLine(), line);
				}
				sent.get();
			}
			// Together their read buffers would be more than the 32 MB there are.
			for (TcpTestClient holder : holders) {
				holder.send("\n");
				assertStamped(holder.readCrlfLine(), "y");
			}
			assertThat(delta(before, scrape(), "timestamp_tcp_connections_closed_total", "reason", "memory"))
				.as("connections closed for holding memory")
				.isZero();
		}
		finally {
			writer.shutdownNow();
			holders.forEach(TcpTestClient::close);
		}
	}

	private void assertNoFailedAllocation() {
		assertThat(this.server.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
	}

	private PrometheusText scrape() {
		return PrometheusText.scrape(this.httpPort);
	}

	/**
	 * From {@link #SILENT_CLIENTS} connections at once, writes requests for as long as
	 * the server reads them, never reading a reply.
	 */
	private static void sendWithoutReading(int port, Duration duration) {
		ByteBuffer batch = ByteBuffer.wrap("0123456789\n".repeat(1000).getBytes(StandardCharsets.US_ASCII));
		List<SocketChannel> channels = new ArrayList<>();
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < SILENT_CLIENTS; i++) {
				SocketChannel channel = SocketChannel.open();
				channels.add(channel);
				// A small receive window: the replies stay with the server.
				channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
				channel.connect(new InetSocketAddress("127.0.0.1", port));
				channel.configureBlocking(false);
				channel.register(selector, SelectionKey.OP_WRITE);
			}
			long end = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < end && !selector.keys().isEmpty()) {
				selector.select(100);
				for (SelectionKey key : selector.selectedKeys()) {
					try {
						((SocketChannel) key.channel()).write(batch.duplicate());
					}
					catch (IOException ex) {
						// closed by the server
						key.cancel();
					}
				}
				selector.selectedKeys().clear();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			channels.forEach(MemoryPressureProcessTests::closeQuietly);
		}
	}

	private static void closeQuietly(Closeable channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

}
