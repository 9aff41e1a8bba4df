package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.client.ProxyHeader;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol and the per-source cap over real sockets, IPv4 and IPv6: with a cap
 * of one connection per source, which connections are refused shows which address the
 * server took for each client.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolIntegrationTests {

	private static final InetSocketAddress CLIENT_A = new InetSocketAddress("203.0.113.7", 40001);

	private static final InetSocketAddress CLIENT_B = new InetSocketAddress("2001:db8::8", 40002);

	@Test
	void theDeclaredClientIsWhatThePerSourceCapCounts() {
		try (RunningServer server = proxiedServer("127.0.0.1,::1")) {
			for (HAProxyProtocolVersion version : HAProxyProtocolVersion.values()) {
				try (TcpTestClient first = connect(server, "127.0.0.1", version, CLIENT_A)) {
					// Served first, so that it holds its source's one slot.
					assertServed(first);
					try (TcpTestClient sameSource = connect(server, "127.0.0.1", version, CLIENT_A);
							TcpTestClient otherSource = connect(server, "127.0.0.1", version, CLIENT_B)) {
						assertThat(sameSource.isClosedByServer()).isTrue();
						assertServed(otherSource);
					}
				}
				awaitNoConnections(server);
			}
			assertThat(server.scrape().value("timestamp_tcp_connections_rejected_total", "reason", "per_source"))
				.isEqualTo(2);
		}
	}

	@Test
	void acceptsHeadersFromATrustedIpv6Proxy() {
		Assumptions.assumeTrue(Udp.hasIpv6Loopback(), "this host has no IPv6 loopback (::1)");
		try (RunningServer server = proxiedServer("::1", "--timestamp.bind-address=::");
				TcpTestClient first = connect(server, "::1", HAProxyProtocolVersion.V2, CLIENT_A)) {
			assertServed(first);
			try (TcpTestClient sameSource = connect(server, "::1", HAProxyProtocolVersion.V1, CLIENT_A)) {
				assertThat(sameSource.isClosedByServer()).isTrue();
			}
		}
	}

	@Test
	void closesAConnectionWithoutTheRequiredHeader() {
		try (RunningServer server = proxiedServer("127.0.0.1");
				TcpTestClient client = new TcpTestClient(server.tcpPort())) {
			client.send("no header\n");
			assertThat(client.isClosedByServer()).isTrue();
			awaitNoConnections(server);
			assertThat(server.scrape().value("timestamp_tcp_connections_closed_total", "reason", "proxy_protocol"))
				.isEqualTo(1);
		}
	}

	@Test
	void aHeaderFromAnUntrustedPeerClosesTheConnectionAndOtherwiseItIsServedAsItIs() {
		try (RunningServer server = proxiedServer("192.0.2.0/24")) {
			try (TcpTestClient spoofing = connect(server, "127.0.0.1", HAProxyProtocolVersion.V1, CLIENT_A)) {
				assertThat(spoofing.isClosedByServer()).isTrue();
			}
			// An untrusted peer holds its source's one slot from accept until it closes.
			awaitNoConnections(server);
			try (TcpTestClient plain = new TcpTestClient(server.tcpPort())) {
				assertServed(plain);
			}
		}
	}

	@Test
	void aHealthCheckWithTheLocalCommandIsServedAsTheProxy() {
		try (RunningServer server = proxiedServer("127.0.0.1");
				TcpTestClient check = new TcpTestClient(server.tcpPort())) {
			check.send(ProxyHeader.local());
			assertServed(check);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "optional", "required" })
	void anUntrustedPeerIsHeldToThePerSourceCapAtAccept(String mode) {
		// A header timeout longer than the test: a connection that waited for it would
		// hold its slot past the end of the test.
		try (RunningServer server = RunningServer.start("--timestamp.tcp.proxy-protocol.mode=" + mode,
				"--timestamp.tcp.proxy-protocol.trusted-sources=10.9.9.9/32",
				"--timestamp.tcp.proxy-protocol.header-timeout=5m", "--timestamp.tcp.max-connections=12",
				"--timestamp.tcp.max-connections-per-source=3")) {
			List<TcpTestClient> silent = new ArrayList<>();
			try {
				for (int i = 0; i < 12; i++) {
					silent.add(new TcpTestClient(server.tcpPort()));
				}
				Awaitility.await()
					.until(() -> server.scrape()
						.value("timestamp_tcp_connections_rejected_total", "reason", "per_source") == 9);
				try (TcpTestClient other = new TcpTestClient(new InetSocketAddress("127.0.0.3", 0),
						new InetSocketAddress("127.0.0.1", server.tcpPort()))) {
					assertServed(other);
				}
			}
			finally {
				silent.forEach(TcpTestClient::close);
			}
		}
	}

	@Test
	void anUntrustedPeersEmptyLineIsAnsweredAtOnce() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.proxy-protocol.mode=optional",
				"--timestamp.tcp.proxy-protocol.trusted-sources=10.9.9.9/32",
				"--timestamp.tcp.proxy-protocol.header-timeout=5m");
				TcpTestClient client = new TcpTestClient(server.tcpPort())) {
			// The client reads for 10 s at most: far less than the header timeout.
			client.send("\r\n");
			assertStamped(client.readCrlfLine(), "");
		}
	}

	@Test
	void aV2ExtensionRunningPastTheHeaderIsAMalformedHeaderCountedAndLoggedAtDebug(CapturedOutput output) {
		try (RunningServer server = proxiedServer("127.0.0.1")) {
			InetSocketAddress service = new InetSocketAddress("127.0.0.1", server.tcpPort());
			byte[] header = ProxyHeader.proxy(HAProxyProtocolVersion.V2, CLIENT_A, service);
			for (int i = 0; i < 20; i++) {
				// The IPv4 header with one TLV (type 0x01) that claims 0xffff bytes and
				// has three.
				ByteBuffer bad = ByteBuffer.allocate(header.length + 6).put(header, 0, 14);
				bad.putShort((short) (header.length - 16 + 6)).put(header, 16, header.length - 16);
				bad.put((byte) 0x01).putShort((short) 0xffff).put(new byte[3]);
				try (TcpTestClient client = new TcpTestClient(server.tcpPort())) {
					client.send(bad.array());
					assertThat(client.isClosedByServer()).isTrue();
				}
			}
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_tcp_connections_closed_total", "reason", "proxy_protocol") == 20);
			assertThat(server.scrape().value("timestamp_tcp_connections_closed_total", "reason", "error")).isZero();
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("Exception");
	}

	private static RunningServer proxiedServer(String trusted, String... more) {
		List<String> args = new ArrayList<>(List.of("--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=" + trusted,
				"--timestamp.tcp.max-connections-per-source=1"));
		args.addAll(List.of(more));
		return RunningServer.start(args.toArray(String[]::new));
	}

	private static TcpTestClient connect(RunningServer server, String host, HAProxyProtocolVersion version,
			InetSocketAddress client) {
		InetSocketAddress service = new InetSocketAddress(host, server.tcpPort());
		TcpTestClient connection = new TcpTestClient(null, service);
		connection.send(ProxyHeader.proxy(version, client, service));
		return connection;
	}

	private static void assertServed(TcpTestClient client) {
		client.send("hello\n");
		assertStamped(client.readCrlfLine(), "hello");
	}

	private static void awaitNoConnections(RunningServer server) {
		Awaitility.await()
			.until(() -> server.context().getBean(NettyTcpServerConnectionFactory.class).getOpenConnectionCount() == 0);
	}

}
