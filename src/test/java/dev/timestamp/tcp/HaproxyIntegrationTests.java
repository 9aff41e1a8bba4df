package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.timestamp.support.FreePorts;
import dev.timestamp.support.Installed;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a real HAProxy (Debian's {@code haproxy}) with {@code send-proxy} and
 * {@code send-proxy-v2}: clients on different loopback addresses reach the service
 * through the proxy, and with one connection allowed per source, which connections are
 * refused shows that the service sees each client's own address, not the proxy's.
 */
@Timeout(120)
class HaproxyIntegrationTests {

	@TempDir
	Path work;

	@Test
	void seesEachClientsAddressThroughSendProxyAndSendProxyV2() throws Exception {
		Path haproxy = Installed.program("haproxy", "haproxy");
		boolean ipv6 = Udp.hasIpv6Loopback();
		try (RunningServer server = RunningServer.start("--timestamp.bind-address=" + (ipv6 ? "::" : "0.0.0.0"),
				"--timestamp.tcp.proxy-protocol.mode=required",
				"--timestamp.tcp.proxy-protocol.trusted-sources=127.0.0.1,::1",
				"--timestamp.tcp.max-connections-per-source=1")) {
			int v1 = FreePorts.next();
			int v2 = FreePorts.next();
			int v2ipv6 = ipv6 ? FreePorts.next() : 0;
			Path config = this.work.resolve("haproxy.cfg");
			Files.writeString(config, """
					defaults
					  mode tcp
					  timeout connect 5s
					  timeout client 30s
					  timeout server 30s
					frontend v1
					  bind 127.0.0.1:%1$d
					  default_backend v1
					backend v1
					  server ts 127.0.0.1:%3$d send-proxy
					frontend v2
					  bind 127.0.0.1:%2$d
					  %4$s
					  default_backend v2
					backend v2
					  server ts 127.0.0.1:%3$d send-proxy-v2
					""".formatted(v1, v2, server.tcpPort(), ipv6 ? "bind [::1]:" + v2ipv6 : ""));
			Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.work.resolve("haproxy.log").toFile())
				.start();
			try {
				awaitListening("127.0.0.1", v1);
				awaitListening("127.0.0.1", v2);
				awaitNoConnections(server);
				assertSourcesTold(server, v1, "127.0.0.2", "127.0.0.3");
				assertSourcesTold(server, v2, "127.0.0.2", "127.0.0.3");
				if (ipv6) {
					awaitListening("::1", v2ipv6);
					// The probe's connection through the proxy holds ::1's one slot until
					// it closes.
					awaitNoConnections(server);
					try (TcpTestClient client = via("::1", "::1", v2ipv6)) {
						client.send("over ipv6\n");
						assertStamped(client.readCrlfLine(), "over ipv6");
					}
				}
				assertThat(server.scrape().value("timestamp_tcp_connections_rejected_total", "reason", "per_source"))
					.isEqualTo(2);
				assertThat(server.scrape().value("timestamp_tcp_connections_closed_total", "reason", "proxy_protocol"))
					.isZero();
			}
			finally {
				process.destroy();
				process.waitFor();
			}
		}
	}

	/**
	 * Two clients on one address: the second is over the cap; a client on another address
	 * is not.
	 */
	private static void assertSourcesTold(RunningServer server, int proxyPort, String sourceA, String sourceB) {
		try (TcpTestClient first = via(sourceA, "127.0.0.1", proxyPort)) {
			first.send("first\n");
			assertStamped(first.readCrlfLine(), "first");
			try (TcpTestClient second = via(sourceA, "127.0.0.1", proxyPort);
					TcpTestClient other = via(sourceB, "127.0.0.1", proxyPort)) {
				other.send("other\n");
				assertStamped(other.readCrlfLine(), "other");
				second.send("second\n");
				assertThat(second.isClosedByServer()).isTrue();
			}
		}
		awaitNoConnections(server);
	}

	private static void awaitNoConnections(RunningServer server) {
		Awaitility.await()
			.until(() -> server.context().getBean(NettyTcpServerConnectionFactory.class).getOpenConnectionCount() == 0);
	}

	private static TcpTestClient via(String source, String proxyHost, int proxyPort) {
		return new TcpTestClient(new InetSocketAddress(source, 0), new InetSocketAddress(proxyHost, proxyPort));
	}

	private static void awaitListening(String host, int port) {
		Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			try (Socket socket = new Socket(host, port)) {
				return true;
			}
		});
	}

}
