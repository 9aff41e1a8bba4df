package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.IoUringHere;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import dev.timestamp.tcp.memory.IoUringReadBuffers;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.uring.IoUringSocketChannel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timestamp.tcp.transport=io-uring}: the TCP listener runs on io_uring event loops
 * and behaves as on epoll; UDP is not affected.
 */
@Timeout(60)
class TcpOverIoUringIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.transport=io-uring");

	@BeforeAll
	static void ioUringIsAllowedHere() {
		IoUringHere.assumeAllowed();
	}

	@Test
	void servesConnectionsOnIoUringChannels() {
		try (TcpTestClient client = server.connect()) {
			client.send("hello\n");
			assertStamped(client.readCrlfLine(), "hello");
			assertThat(server.context().getBean(NettyTcpServerConnectionFactory.class).liveConnections()).isNotEmpty()
				.allSatisfy((connection) -> assertThat(connection.channel()).isInstanceOf(IoUringSocketChannel.class));
		}
	}

	@Test
	void keepsTheGuardOnTheReadsOfAConnectionServedAsRaw() {
		try (TcpTestClient client = server.connect()) {
			client.send("no terminator");
			assertStamped(client.readExactly(prefixLength() + "no terminator".length()), "no terminator");
			int clientPort = client.socket().getLocalPort();
			NettyTcpConnection connection = server.context()
				.getBean(NettyTcpServerConnectionFactory.class)
				.liveConnections()
				.stream()
				.filter((live) -> ((InetSocketAddress) live.channel().remoteAddress()).getPort() == clientPort)
				.findFirst()
				.orElseThrow();
			RecvByteBufAllocator reads = connection.channel().config().getRecvByteBufAllocator();
			assertThat(reads).isInstanceOf(IoUringReadBuffers.class);
		}
	}

	@Test
	void repliesToPipelinedLinesInOrder() {
		try (TcpTestClient client = server.connect()) {
			StringBuilder requests = new StringBuilder();
			for (int i = 0; i < 500; i++) {
				requests.append("line ").append(i).append('\n');
			}
			client.send(requests.toString());
			for (int i = 0; i < 500; i++) {
				assertStamped(client.readCrlfLine(), "line " + i);
			}
		}
	}

	@Test
	void answersWhatWasSentBeforeTheClientClosedItsSide() {
		try (TcpTestClient client = server.connect()) {
			client.send("first\nlast\n");
			client.shutdownOutput();
			assertStamped(client.readCrlfLine(), "first");
			assertStamped(client.readCrlfLine(), "last");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void countsItsConnectionsExactly() {
		List<TcpTestClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				TcpTestClient client = server.connect();
				client.send("hi\n");
				client.readCrlfLine();
				clients.add(client);
			}
			assertThat(server.scrape().value("timestamp_tcp_connections_active")).isEqualTo(5);
		}
		finally {
			clients.forEach(TcpTestClient::close);
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> server.scrape().value("timestamp_tcp_connections_active") == 0);
	}

	@Test
	void leavesUdpOnItsOwnLoops() throws Exception {
		byte[] request = "over udp".getBytes(StandardCharsets.US_ASCII);
		assertStamped(Udp.exchange(server.udpPort(), request), request);
	}

}
