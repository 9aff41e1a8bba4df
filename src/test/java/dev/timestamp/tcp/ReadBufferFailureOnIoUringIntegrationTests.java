package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.IoUringHere;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.TcpTestClient;
import io.netty.channel.Channel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On io_uring a connection's next read buffer is allocated outside its pipeline, and an
 * {@link OutOfMemoryError} there used to stop the event loop with every connection on it
 * (Netty 4.2.15). Running direct memory out at that very moment cannot be timed from
 * outside, so the test gives one connection of the real server an allocator that fails
 * from a given moment, as a full direct memory does.
 */
@Timeout(60)
class ReadBufferFailureOnIoUringIntegrationTests {

	// One event loop: the connection whose read fails and the one after share it.
	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.transport=io-uring",
			"--timestamp.io-threads=1");

	@BeforeAll
	static void ioUringIsAllowedHere() {
		IoUringHere.assumeAllowed();
	}

	@Test
	void closesOnlyTheConnectionWhoseReadBufferCannotBeAllocated() throws Exception {
		PrometheusText before = server.scrape();
		try (TcpTestClient failing = server.connect(); TcpTestClient bystander = server.connect()) {
			failing.send("first\n");
			assertStamped(failing.readCrlfLine(), "first");
			bystander.send("before\n");
			assertStamped(bystander.readCrlfLine(), "before");

			failDirectAllocations(onlyConnection(failing));
			failing.send("second\n");

			assertThat(failing.isClosedByServer()).isTrue();
			bystander.send("after\n");
			assertStamped(bystander.readCrlfLine(), "after");
		}
		try (TcpTestClient next = server.connect()) {
			next.send("next\n");
			assertStamped(next.readCrlfLine(), "next");
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(PrometheusText.delta(before, server.scrape(),
					"timestamp_tcp_connections_closed_total", "reason", "memory"))
				.isEqualTo(1));
	}

	/** The server's side of the client's connection (found by its port). */
	private static Channel onlyConnection(TcpTestClient client) {
		int clientPort = client.socket().getLocalPort();
		List<NettyTcpConnection> connections = server.context()
			.getBean(NettyTcpServerConnectionFactory.class)
			.liveConnections();
		return connections.stream()
			.map(NettyTcpConnection::channel)
			.filter((channel) -> ((InetSocketAddress) channel.remoteAddress()).getPort() == clientPort)
			.findFirst()
			.orElseThrow();
	}

	private static void failDirectAllocations(Channel channel) throws Exception {
		channel.eventLoop()
			.submit(() -> channel.config().setAllocator(new ExhaustedDirectMemory()))
			.get(10, TimeUnit.SECONDS);
	}

}
