package dev.timestamp.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.timestamp.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that connects while the server starts, as a load balancer's first requests do,
 * is answered: the listener binds early (a port in use fails the start-up at once) but
 * accepts only once the whole flow is ready.
 */
@Timeout(120)
class StartupProcessTests {

	@Test
	void answersClientsThatConnectWhileItStarts() throws Exception {
		int port = freePort();
		// The default wildcard address: the UDP listener then binds a socket per local
		// address before the TCP flow is ready, which is when clients used to be cut.
		try (ServerProcess server = ServerProcess.start(List.of(), "--timestamp.bind-address=0.0.0.0",
				"--timestamp.tcp.port=" + port, "--timestamp.udp.port=0")) {
			int answered = 0;
			int cut = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			// From launch: refused until the port is bound, then every connection must
			// get its reply, the earliest included.
			while (answered < 20 && System.nanoTime() < deadline) {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
					socket.setSoTimeout(30_000);
					socket.getOutputStream().write("early\n".getBytes(StandardCharsets.US_ASCII));
					String reply = new BufferedReader(
							new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
						.readLine();
					if (reply != null && reply.endsWith("] early")) {
						answered++;
					}
					else {
						cut++;
					}
				}
				catch (ConnectException notBoundYet) {
					Thread.sleep(1);
				}
				catch (IOException reset) {
					cut++;
				}
			}
			assertThat(cut).as("connections closed without a reply; server output:%n%s", server.output()).isZero();
			assertThat(answered).isEqualTo(20);
			assertThat(server.output()).doesNotContain("no subscribers").doesNotContain("WARN");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			return probe.getLocalPort();
		}
	}

}
