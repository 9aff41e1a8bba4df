package dev.timestamp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.CliRun;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client tcp} against the real server.
 */
@Timeout(60)
class TcpClientIntegrationTests {

	@ParameterizedTest
	@ValueSource(strings = { "line", "crlf", "stx-etx", "length-header" })
	void answersEachPipedLineInOrderInEveryFraming(String framing) {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=" + framing)) {
			CliRun run = CliRun.piped("first\nsecond line\n\nlast", "client", "tcp", "--port",
					String.valueOf(server.tcpPort()), "--framing", framing);
			assertThat(run.exitCode()).as(run.err()).isZero();
			String[] lines = run.outLines();
			assertThat(lines).hasSize(5);
			assertStamped(bytes(lines[0]), "first");
			assertStamped(bytes(lines[1]), "second line");
			assertStamped(bytes(lines[2]), "");
			assertStamped(bytes(lines[3]), "last");
			assertThat(lines[4]).isEmpty();
		}
	}

	@Test
	void answersEachPipedLineInRawFramingOneAtATime() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=raw")) {
			CliRun run = CliRun.piped("first\nsecond line\n", "client", "tcp", "--port",
					String.valueOf(server.tcpPort()), "--framing", "raw");
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertStamped(bytes(run.outLines()[0]), "first");
			assertStamped(bytes(run.outLines()[1]), "second line");
		}
	}

	@Test
	void pipelinesThousandsOfPipedLines() {
		StringBuilder input = new StringBuilder();
		for (int i = 0; i < 5000; i++) {
			input.append("line ").append(i).append('\n');
		}
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.piped(input.toString(), "client", "tcp", "--port", String.valueOf(server.tcpPort()));
			assertThat(run.exitCode()).isZero();
			String[] lines = run.outLines();
			for (int i = 0; i < 5000; i++) {
				assertStamped(bytes(lines[i]), "line " + i);
			}
		}
	}

	@Test
	void startsTheConnectionWithAProxyHeaderWhenAsked() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1")) {
			for (String version : new String[] { "v1", "v2" }) {
				CliRun run = CliRun.piped("", "client", "tcp", "--host", "127.0.0.1", "--port",
						String.valueOf(server.tcpPort()), "--proxy-protocol", version, "--proxy-source",
						"[2001:db8::7]:40001", "hello");
				assertThat(run.exitCode()).as(run.err()).isZero();
				assertStamped(bytes(run.outLines()[0]), "hello");
			}
			CliRun bad = CliRun.piped("", "client", "tcp", "--port", String.valueOf(server.tcpPort()),
					"--proxy-protocol", "v3", "hello");
			assertThat(bad.exitCode()).isEqualTo(2);
			assertThat(bad.err()).contains("v3");
		}
	}

	@Test
	void sendsTheMessagesGivenAsArguments() {
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.piped("ignored\n", "client", "tcp", "--port", String.valueOf(server.tcpPort()), "hello",
					"two words");
			assertThat(run.exitCode()).isZero();
			assertStamped(bytes(run.outLines()[0]), "hello");
			assertStamped(bytes(run.outLines()[1]), "two words");
			assertThat(run.outLines()).hasSize(3);
		}
	}

	@Test
	void promptsAtATerminalAndStopsAtAnEmptyLine() {
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.interactive("hello\n\nnot sent\n", "client", "tcp", "--port",
					String.valueOf(server.tcpPort()));
			assertThat(run.exitCode()).isZero();
			assertThat(run.out()).startsWith("> [").endsWith("] hello\n> ");
		}
	}

	@Test
	void reportsARefusedConnectionInOneLineWithExitCode1() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		CliRun run = CliRun.piped("", "client", "tcp", "--host", "127.0.0.1", "--port", String.valueOf(closedPort),
				"hi");
		assertThat(run.exitCode()).isEqualTo(1);
		assertThat(run.err().strip())
			.isEqualTo("timestamp client: connection refused: nothing listens on tcp 127.0.0.1:" + closedPort);
		assertThat(run.err()).doesNotContain("\tat ");
	}

	@Test
	void reportsAnUnknownHostInOneLineWithExitCode1() {
		CliRun run = CliRun.piped("", "client", "tcp", "--host", "no-such-host.invalid", "hi");
		assertThat(run.exitCode()).isEqualTo(1);
		assertThat(run.err().strip()).isEqualTo("timestamp client: unknown host: no-such-host.invalid");
	}

	@Test
	void reportsATimeoutWhenTheServerDoesNotAnswer() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CountDownLatch done = new CountDownLatch(1);
			Thread acceptor = new Thread(() -> {
				try (Socket accepted = silent.accept()) {
					accepted.getInputStream().readAllBytes();
					done.await(10, TimeUnit.SECONDS);
				}
				catch (IOException | InterruptedException ex) {
					// the test is over
				}
			});
			acceptor.start();
			CliRun run = CliRun.piped("", "client", "tcp", "--host", "127.0.0.1", "--port",
					String.valueOf(silent.getLocalPort()), "--timeout", "300ms", "hello");
			assertThat(run.exitCode()).isEqualTo(1);
			assertThat(run.err().strip()).isEqualTo("timestamp client: timed out: no reply from tcp 127.0.0.1:"
					+ silent.getLocalPort() + " within 300 ms");
			done.countDown();
			acceptor.join(5000);
		}
	}

	@Test
	void rejectsAnUnknownOptionWithExitCode2() {
		assertThat(CliRun.piped("", "client", "tcp", "--no-such-option").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "client", "tcp", "--framing", "morse").exitCode()).isEqualTo(2);
		assertThat(CliRun.piped("", "client").exitCode()).isEqualTo(2);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
