package dev.timestamp.tcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection limits: the connection cap, the idle timeout and the reply queue cap.
 */
@Timeout(60)
class TcpLimitsIntegrationTests {

	@Test
	void closesConnectionsBeyondMaxConnectionsAndKeepsServingTheOthers() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-connections=3")) {
			List<TcpTestClient> admitted = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				TcpTestClient client = server.connect();
				client.send("hello " + i + "\n");
				assertStamped(client.readCrlfLine(), "hello " + i);
				admitted.add(client);
			}
			try (TcpTestClient extra = server.connect()) {
				assertThat(extra.isClosedByServer()).isTrue();
			}
			for (TcpTestClient client : admitted) {
				client.send("still\n");
				assertStamped(client.readCrlfLine(), "still");
			}
			admitted.remove(0).close();
			// The freed slot is reusable once the server has seen the close.
			Awaitility.await()
				.until(() -> server.context()
					.getBean(NettyTcpServerConnectionFactory.class)
					.getOpenConnectionCount() == 2);
			try (TcpTestClient next = server.connect()) {
				next.send("next\n");
				assertStamped(next.readCrlfLine(), "next");
			}
			admitted.forEach(TcpTestClient::close);
		}
	}

	@Test
	void closesAConnectionWithoutACompleteRequestForTheIdleTimeout() {
		// Without the raw fallback: an unfinished first line is a slow line client here.
		try (RunningServer server = RunningServer.start("--timestamp.tcp.idle-timeout=300ms",
				"--timestamp.tcp.raw-fallback-after=0");
				TcpTestClient idle = server.connect();
				TcpTestClient slow = server.connect()) {
			idle.send("one\n");
			assertStamped(idle.readCrlfLine(), "one");
			// Bytes without a line end do not count as activity: a byte-by-byte client is
			// closed too.
			slow.send("a");
			assertThat(idle.isClosedByServer()).isTrue();
			assertThat(slow.isClosedByServer()).isTrue();
		}
	}

	@Test
	void stopsReadingFromAClientThatDoesNotReadItsReplies() throws Exception {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-queued-reply-bytes=65536");
				TcpTestClient client = server.connect()) {
			NettyTcpServerConnectionFactory factory = server.context().getBean(NettyTcpServerConnectionFactory.class);
			int requests = 200_000;
			byte[] batch = "0123456789\n".repeat(requests / 100).getBytes(StandardCharsets.US_ASCII);
			Thread writer = new Thread(() -> {
				for (int i = 0; i < 100; i++) {
					client.send(batch);
				}
			});
			writer.start();
			// The server pauses the connection instead of queueing ~6 MB of replies.
			Awaitility.await()
				.until(() -> factory.liveConnections().stream().anyMatch((c) -> !c.channel().config().isAutoRead()));
			NettyTcpConnection paused = factory.liveConnections().get(0);
			// At most the cap plus the reply that crossed it and Netty's bookkeeping for
			// the write.
			assertThat(paused.channel().unsafe().outboundBuffer().totalPendingWriteBytes())
				.isLessThanOrEqualTo(65536 + 1024);
			for (int i = 0; i < requests; i++) {
				assertStamped(client.readCrlfLine(), "0123456789");
			}
			writer.join(10_000);
		}
	}

}
