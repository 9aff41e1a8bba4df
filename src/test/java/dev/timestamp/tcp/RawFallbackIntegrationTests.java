package dev.timestamp.tcp;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;

/**
 * On the default {@code line} framing, the tutorial's client (bytes without a newline,
 * then a wait for the reply) is answered, while line clients keep exact line semantics.
 * The pauses below only create the situation; nothing here measures time.
 */
@Timeout(60)
class RawFallbackIntegrationTests {

	@Test
	void answersTheTutorialClientWhoseRequestsHaveNoNewline() {
		try (RunningServer server = RunningServer.start(); TcpTestClient tutorial = server.connect()) {
			for (String request : new String[] { "hello", "how are you?", "x" }) {
				tutorial.send(request);
				// exactly the tutorial server's reply: no terminator
				assertStamped(tutorial.readExactly(prefixLength() + request.length()), request);
			}
		}
	}

	@Test
	void keepsALineSplitAcrossTwoWritesAsOneRequest() throws InterruptedException {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.raw-fallback-after=5s");
				TcpTestClient client = server.connect()) {
			assertStamped(replyToTwoWrites(client, "hel", 50, "lo\n"), "hello");
		}
	}

	@Test
	void aConnectionWhoseFirstRequestEndsWithANewlineStaysALineConnection() throws InterruptedException {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.raw-fallback-after=100ms");
				TcpTestClient client = server.connect()) {
			client.send("first\n");
			assertStamped(client.readCrlfLine(), "first");
			assertStamped(replyToTwoWrites(client, "par", 500, "tial\n"), "partial");
		}
	}

	@Test
	void staysInLineModeWhenSwitchedOff() throws InterruptedException {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.raw-fallback-after=0");
				TcpTestClient client = server.connect()) {
			assertStamped(replyToTwoWrites(client, "no newline yet", 500, "\n"), "no newline yet");
		}
	}

	private static byte[] replyToTwoWrites(TcpTestClient client, String first, long pauseMillis, String second)
			throws InterruptedException {
		client.send(first);
		Thread.sleep(pauseMillis);
		client.send(second);
		return client.readCrlfLine();
	}

}
