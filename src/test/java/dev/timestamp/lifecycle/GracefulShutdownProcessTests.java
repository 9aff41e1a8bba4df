package dev.timestamp.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.timestamp.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a real server process while a client is mid-stream with pipelined requests:
 * every request the server read is answered, in order, then the client sees a clean close
 * (FIN, not a reset), and the process exits with 0.
 */
@Timeout(120)
class GracefulShutdownProcessTests {

	@Test
	void answersWhatItReadThenClosesCleanlyAndExitsZeroOnSigterm() throws Exception {
		try (ServerProcess server = ServerProcess.start(List.of())) {
			int port = Integer
				.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				long answered = pipelineThroughSigterm(server, socket);
				assertThat(answered).isPositive();
			}
			assertThat(server.waitForExit(Duration.ofSeconds(30))).isZero();
			assertThat(server.output()).containsSubsequence("readiness is now REFUSING_TRAFFIC", "Draining");
		}
	}

	@Test
	void drainsAndExitsZeroOnSigintAsOnSigterm() throws Exception {
		try (ServerProcess server = ServerProcess.start(List.of())) {
			server.await("TCP listening on", Duration.ofSeconds(60));
			Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).inheritIO().start();
			assertThat(kill.waitFor()).isZero();
			assertThat(server.waitForExit(Duration.ofSeconds(30))).isZero();
			assertThat(server.output()).containsSubsequence("readiness is now REFUSING_TRAFFIC", "Draining");
		}
	}

	@Test
	void keepsMemoryBoundedWhenANeverReadingClientFloodsDuringTheDrain() throws Exception {
		// The image's direct-memory bound, and a short drain: a server that buffered the
		// flood after SIGTERM would run out of direct memory within it.
		try (ServerProcess server = ServerProcess.start(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m"),
				"--spring.lifecycle.timeout-per-shutdown-phase=4s")) {
			int port = Integer
				.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			try (Socket flooder = new Socket(); Socket good = new Socket()) {
				flooder.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				AtomicBoolean flooding = new AtomicBoolean(true);
				Thread flood = new Thread(() -> flood(flooder, flooding));
				flood.start();
				good.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				pipelineThroughSigterm(server, good);
				flooding.set(false);
				flood.join(10_000);
			}
			assertThat(server.waitForExit(Duration.ofSeconds(30))).isZero();
			assertThat(server.output()).contains("Draining")
				.doesNotContain("OutOfMemoryError")
				.doesNotContain("\tat ")
				.doesNotContain("Exception");
		}
	}

	/**
	 * Pipelines requests on the socket, sends SIGTERM while replies are flowing, reads
	 * until the server's FIN (a reset would throw), and checks that every reply came
	 * whole and in order; returns how many came.
	 */
	private static long pipelineThroughSigterm(ServerProcess server, Socket socket) throws Exception {
		socket.setSoTimeout(30_000);
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicLong sent = new AtomicLong();
		Thread writer = new Thread(() -> pipeline(socket, writing, sent));
		writer.start();
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[65536];
		// Mid-stream: replies are flowing.
		while (received.size() < 100_000) {
			int read = in.read(buffer);
			assertThat(read)
				.as("closed before SIGTERM, after %d bytes; server output:%n%s", received.size(), server.output())
				.isNotNegative();
			received.write(buffer, 0, read);
		}
		server.signalTerm();
		int n;
		while ((n = in.read(buffer)) >= 0) {
			received.write(buffer, 0, n);
		}
		writing.set(false);
		writer.join(10_000);
		String[] replies = received.toString(StandardCharsets.US_ASCII).split("\r\n", -1);
		assertThat(replies[replies.length - 1]).as("no reply is cut short").isEmpty();
		for (int i = 0; i < replies.length - 1; i++) {
			assertThat(replies[i]).endsWith("] request-" + i);
		}
		assertThat((long) replies.length - 1).isLessThanOrEqualTo(sent.get());
		return replies.length - 1;
	}

	private static void flood(Socket socket, AtomicBoolean flooding) {
		byte[] line = ("f".repeat(999) + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] lines = new byte[line.length * 64];
		for (int i = 0; i < 64; i++) {
			System.arraycopy(line, 0, lines, i * line.length, line.length);
		}
		try {
			OutputStream out = socket.getOutputStream();
			while (flooding.get()) {
				out.write(lines);
			}
		}
		catch (IOException ex) {
			// the server closed the connection at the end of the drain
		}
	}

	private static void pipeline(Socket socket, AtomicBoolean writing, AtomicLong sent) {
		try {
			OutputStream out = socket.getOutputStream();
			while (writing.get()) {
				StringBuilder batch = new StringBuilder();
				for (int i = 0; i < 100; i++) {
					batch.append("request-").append(sent.getAndIncrement()).append('\n');
				}
				out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
			}
		}
		catch (IOException ex) {
			// the server closed; what was sent and not answered was never read by it
		}
	}

}
