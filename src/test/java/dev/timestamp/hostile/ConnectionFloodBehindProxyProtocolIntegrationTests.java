package dev.timestamp.hostile;

import java.io.IOException;
import java.util.stream.IntStream;

import dev.timestamp.support.IoUringHere;
import dev.timestamp.support.RunningServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the PROXY protocol on, a connection's client is known only once its first bytes
 * arrive, but the cap on connections in all does not wait for them: a flood past it is
 * served and shed exactly as without the protocol, the first connections accepted served
 * and the rest closed on accept, on either transport.
 */
@Timeout(120)
class ConnectionFloodBehindProxyProtocolIntegrationTests {

	private static final int CAP = 50;

	@ParameterizedTest
	@ValueSource(strings = { "epoll", "io-uring" })
	void servesTheFirstConnectionsUpToTheCapAndClosesTheRestOnAccept(String transport) throws IOException {
		IoUringHere.assumeAllowedFor(transport);
		// Two event loops, whatever the machine: they set connections up side by side.
		try (RunningServer server = RunningServer.start("--timestamp.io-threads=2",
				"--timestamp.tcp.max-connections=" + CAP, "--timestamp.tcp.transport=" + transport,
				"--timestamp.tcp.proxy-protocol.mode=optional",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.0/8")) {
			assertThat(ConnectionFlood.served(server.tcpPort(), 6 * CAP))
				.containsExactlyElementsOf(IntStream.range(0, CAP).boxed().toList());
			Awaitility.await().until(() -> server.scrape().value("timestamp_tcp_connections_active") == 0);
			assertThat(server.scrape().value("timestamp_tcp_connections_rejected_total", "reason", "limit"))
				.isEqualTo(5 * CAP);
		}
	}

}
