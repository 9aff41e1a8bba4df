package dev.timestamp.tcp;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SlowReadingClient;
import dev.timestamp.support.TcpTestClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timestamp.tcp.max-connection-age} over a real socket: the connection is drained
 * (everything read is answered, then FIN), not cut.
 */
@Timeout(60)
class MaxConnectionAgeIntegrationTests {

	@Test
	void drainsAConnectionAtItsMaximumAgeAfterAnsweringWhatItRead() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-connection-age=500ms");
				TcpTestClient client = server.connect()) {
			int requests = 2000;
			client.send("request\n".repeat(requests).getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < requests; i++) {
				assertStamped(client.readCrlfLine(), "request");
			}
			// Then the server closes its side: end of stream, no reset.
			assertThat(client.isClosedByServer()).isTrue();
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tcp_connections_closed_total", "reason", "max_age") == 1);
		}
	}

	@Test
	void aClientReadingSlowlyThroughTheDrainGetsEveryCountedReplyThenTheEnd() throws Exception {
		// More replies are queued when the drain starts than the client reads in the two
		// seconds after.
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-connection-age=500ms");
				Socket socket = SlowReadingClient.connect(server.tcpPort())) {
			long replies = SlowReadingClient.pipelineUntilTheServerEnds(socket, "slowly");
			Awaitility.await().until(() -> server.scrape().value("timestamp_tcp_connections_active") == 0);
			PrometheusText meters = server.scrape();
			assertThat(meters.value("timestamp_requests_total", "transport", "tcp", "outcome", "ok"))
				.isEqualTo(replies);
			assertThat(meters.value("timestamp_tcp_connections_closed_total", "reason", "max_age")).isEqualTo(1);
		}
	}

	@Test
	void aNewConnectionIsServedAfterTheOldOneAged() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.max-connection-age=300ms")) {
			try (TcpTestClient old = server.connect()) {
				assertThat(old.isClosedByServer()).isTrue();
			}
			try (TcpTestClient next = server.connect()) {
				next.send("again\n");
				assertStamped(next.readCrlfLine(), "again");
			}
		}
	}

}
