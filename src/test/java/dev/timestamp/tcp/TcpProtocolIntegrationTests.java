package dev.timestamp.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.SharedServer;
import dev.timestamp.support.TcpTestClient;
import io.netty.channel.ChannelOption;
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
 * The TCP protocol in the default line framing, against the real application on a real
 * socket.
 */
@Timeout(60)
class TcpProtocolIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.max-frame-bytes=1024");

	@Test
	void repliesToALineWithTheCtimePrefixAndCrlf() {
		try (TcpTestClient client = server.connect()) {
			client.send("hello\n");
			assertStamped(client.readCrlfLine(), "hello");
		}
	}

	@Test
	void sendsRepliesWithoutWaitingToCoalesceThem() {
		try (TcpTestClient client = server.connect()) {
			client.send("hello\n");
			assertStamped(client.readCrlfLine(), "hello");
			List<NettyTcpConnection> connections = server.context()
				.getBean(NettyTcpServerConnectionFactory.class)
				.liveConnections();
			assertThat(connections).isNotEmpty()
				.allSatisfy(
						(connection) -> assertThat(connection.channel().config().getOption(ChannelOption.TCP_NODELAY))
							.isTrue());
		}
	}

	@Test
	void stripsTheCrOfACrlfTerminatedLine() {
		try (TcpTestClient client = server.connect()) {
			client.send("hello\r\n");
			assertStamped(client.readCrlfLine(), "hello");
		}
	}

	@Test
	void answersAnEmptyLine() {
		try (TcpTestClient client = server.connect()) {
			client.send("\n");
			assertStamped(client.readCrlfLine(), "");
		}
	}

	@Test
	void answersALineThatArrivesByteByByte() {
		try (TcpTestClient client = server.connect()) {
			for (byte b : "slow\n".getBytes(StandardCharsets.US_ASCII)) {
				client.send(new byte[] { b });
			}
			assertStamped(client.readCrlfLine(), "slow");
		}
	}

	@Test
	void repliesToThousandsOfPipelinedRequestsInOrder() {
		int count = 5000;
		ByteArrayOutputStream requests = new ByteArrayOutputStream();
		for (int i = 0; i < count; i++) {
			requests.writeBytes(("request-" + i + "\n").getBytes(StandardCharsets.US_ASCII));
		}
		try (TcpTestClient client = server.connect()) {
			client.send(requests.toByteArray());
			for (int i = 0; i < count; i++) {
				assertStamped(client.readCrlfLine(), "request-" + i);
			}
		}
	}

	@Test
	void servesTwoHundredConcurrentConnectionsEachWithItsOwnReplies() throws Exception {
		int connections = 200;
		List<TcpTestClient> clients = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(50);
		try {
			for (int i = 0; i < connections; i++) {
				clients.add(server.connect());
			}
			List<Future<?>> results = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				TcpTestClient client = clients.get(i);
				String id = "client-" + i;
				results.add(pool.submit((Callable<Void>) () -> {
					for (int n = 0; n < 20; n++) {
						client.send(id + "/" + n + "\n");
						assertStamped(client.readCrlfLine(), id + "/" + n);
					}
					return null;
				}));
			}
			for (Future<?> result : results) {
				result.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
			clients.forEach(TcpTestClient::close);
		}
	}

	@Test
	void echoesEveryByteValueButLfVerbatim() {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		for (int b = 0; b < 256; b++) {
			if (b != '\n') {
				payload.write(b);
			}
		}
		// A CR is only stripped right before the LF, so end the payload with something
		// else.
		payload.write('x');
		byte[] bytes = payload.toByteArray();
		try (TcpTestClient client = server.connect()) {
			client.send(bytes).send(new byte[] { '\n' });
			assertStamped(client.readExactly(bytes.length + 27), bytes);
			assertThat(client.readExactly(2)).containsExactly('\r', '\n');
		}
	}

	@Test
	void echoesInvalidUtf8Unchanged() {
		byte[] invalid = { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 0, (byte) 0x80 };
		try (TcpTestClient client = server.connect()) {
			client.send(invalid).send("\n");
			assertStamped(client.readCrlfLine(), invalid);
		}
	}

	@Test
	void answersEveryRequestAfterAHalfCloseThenCloses() {
		try (TcpTestClient client = server.connect()) {
			StringBuilder requests = new StringBuilder();
			for (int i = 0; i < 1000; i++) {
				requests.append("line-").append(i).append('\n');
			}
			client.send(requests.append("unterminated").toString());
			client.shutdownOutput();
			for (int i = 0; i < 1000; i++) {
				assertStamped(client.readCrlfLine(), "line-" + i);
			}
			assertStamped(client.readCrlfLine(), "unterminated");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void rejectsAnOversizedFrameWithAnErrorLineAndClosesWhileOthersKeepWorking() {
		try (TcpTestClient other = server.connect(); TcpTestClient client = server.connect()) {
			other.send("before\n");
			assertStamped(other.readCrlfLine(), "before");

			client.send("x".repeat(1025) + "\n");
			assertThat(client.readLine()).isEqualTo("ERR frame exceeds 1024 bytes");
			assertThat(client.isClosedByServer()).isTrue();

			other.send("after\n");
			assertStamped(other.readCrlfLine(), "after");
		}
	}

	@Test
	void acceptsAFrameOfExactlyTheMaximumSize() {
		String largest = "y".repeat(1024);
		try (TcpTestClient client = server.connect()) {
			client.send(largest + "\r\n");
			assertStamped(client.readCrlfLine(), largest);
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aClientLeavingWithRepliesInFlightLogsNoError(CapturedOutput output) {
		NettyTcpServerConnectionFactory factory = server.context().getBean(NettyTcpServerConnectionFactory.class);
		byte[] requests = "in flight\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < 20; i++) {
			TcpTestClient leaving = server.connect();
			leaving.send(requests);
			if (i % 2 == 0) {
				leaving.reset();
			}
			else {
				leaving.close();
			}
		}
		Awaitility.await().until(() -> factory.getOpenConnectionCount() == 0);
		assertThat(output).doesNotContain("ERROR")
			.doesNotContain("WARN")
			.doesNotContain("Unable to find outbound socket");
	}

	@Test
	void aClientResettingMidRequestDisturbsNoOne() {
		try (TcpTestClient other = server.connect()) {
			for (int i = 0; i < 50; i++) {
				TcpTestClient rude = server.connect();
				rude.send("half a requ");
				rude.reset();
			}
			other.send("still here\n");
			assertStamped(other.readCrlfLine(), "still here");
		}
	}

}
