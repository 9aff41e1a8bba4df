package dev.timestamp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server started ahead-of-time processed ({@code -Dspring.aot.enabled=true}, the fast
 * start-up), as its own process: it serves both transports, and the transport switches
 * still work, because they are read at run time rather than fixed at build time.
 */
@Timeout(120)
class AotModeProcessTests {

	private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

	private static final Duration STARTUP = Duration.ofSeconds(60);

	@Test
	void servesTcpUdpAndHealthWhenAheadOfTimeProcessed() throws Exception {
		try (ServerProcess server = ServerProcess.start(AOT)) {
			int tcpPort = Integer.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", STARTUP));
			int udpPort = Integer.parseInt(server.await("UDP listening on 127\\.0\\.0\\.1:(\\d+)", STARTUP));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", STARTUP));
			assertThat(server.output()).contains("Starting AOT-processed");
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				client.send("aot\n");
				assertStamped(client.readCrlfLine(), "aot");
			}
			byte[] request = "aot udp".getBytes(StandardCharsets.US_ASCII);
			assertStamped(Udp.exchange(udpPort, request), request);
			HttpResult health = HttpResult.get(httpPort, "/actuator/health/readiness");
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.<Map<String, Object>>json("$.components")).containsKeys("tcp", "udp");
		}
	}

	@Test
	void switchesATransportOffAtRunTimeWhenAheadOfTimeProcessed() throws Exception {
		try (ServerProcess server = ServerProcess.start(AOT, "--timestamp.tcp.enabled=false")) {
			server.await("UDP listening on", STARTUP);
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", STARTUP));
			HttpResult health = HttpResult.get(httpPort, "/actuator/health");
			assertThat(health.<Map<String, Object>>json("$.components")).doesNotContainKey("tcp").containsKey("udp");
			assertThat(server.output()).doesNotContain("TCP listening");
		}
	}

}
