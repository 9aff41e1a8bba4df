package dev.timestamp.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import dev.timestamp.support.CliRun;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client udp} against the real server, and against a server that loses datagrams.
 */
@Timeout(60)
class UdpClientIntegrationTests {

	@Test
	void answersEachPipedLineInOrder() {
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.piped("one\ntwo\n", "client", "udp", "--port", String.valueOf(server.udpPort()));
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertStamped(run.outLines()[0].getBytes(StandardCharsets.UTF_8), "one");
			assertStamped(run.outLines()[1].getBytes(StandardCharsets.UTF_8), "two");
		}
	}

	@Test
	void sendsAnEmptyLineOrArgumentAsAnEmptyRequest() {
		try (RunningServer server = RunningServer.start()) {
			String port = String.valueOf(server.udpPort());
			CliRun piped = CliRun.piped("\nafter\n", "client", "udp", "--port", port, "--timeout", "2s");
			assertThat(piped.exitCode()).as(piped.err()).isZero();
			assertStamped(piped.outLines()[0].getBytes(StandardCharsets.UTF_8), "");
			assertStamped(piped.outLines()[1].getBytes(StandardCharsets.UTF_8), "after");
			CliRun argument = CliRun.piped("", "client", "udp", "--port", port, "--timeout", "2s", "");
			assertThat(argument.exitCode()).as(argument.err()).isZero();
			assertStamped(argument.outLines()[0].getBytes(StandardCharsets.UTF_8), "");
		}
	}

	@Test
	void retriesARequestWhoseReplyWasLost() throws Exception {
		try (LossyServer lossy = new LossyServer(1)) {
			CliRun run = CliRun.piped("", "client", "udp", "--host", "127.0.0.1", "--port",
					String.valueOf(lossy.port()), "--timeout", "300ms", "--retries", "2", "hello");
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertThat(run.out()).isEqualTo("[fake] hello\n");
			assertThat(lossy.received.get()).isEqualTo(2);
		}
	}

	@Test
	void reportsARequestThatStaysUnansweredAfterItsRetries() throws Exception {
		try (LossyServer lossy = new LossyServer(Integer.MAX_VALUE)) {
			CliRun run = CliRun.piped("", "client", "udp", "--host", "127.0.0.1", "--port",
					String.valueOf(lossy.port()), "--timeout", "200ms", "--retries", "1", "hello");
			assertThat(run.exitCode()).isEqualTo(1);
			assertThat(run.err().strip()).isEqualTo(
					"timestamp client: no reply from udp 127.0.0.1:" + lossy.port() + " after 2 attempts of 200 ms");
			assertThat(lossy.received.get()).isEqualTo(2);
		}
	}

	/** Drops the first {@code drops} datagrams, then answers like the real server. */
	private static final class LossyServer implements AutoCloseable {

		final AtomicInteger received = new AtomicInteger();

		private final DatagramSocket socket;

		private final Thread thread;

		LossyServer(int drops) throws IOException {
			this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
			this.thread = new Thread(() -> {
				byte[] buffer = new byte[2048];
				while (!this.socket.isClosed()) {
					try {
						DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
						this.socket.receive(packet);
						if (this.received.incrementAndGet() > drops) {
							byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
							byte[] reply = ("[fake] " + new String(request, StandardCharsets.ISO_8859_1))
								.getBytes(StandardCharsets.ISO_8859_1);
							this.socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
						}
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			this.thread.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		@Override
		public void close() throws InterruptedException {
			this.socket.close();
			this.thread.join(5000);
		}

	}

}
