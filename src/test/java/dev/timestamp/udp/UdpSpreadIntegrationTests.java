package dev.timestamp.udp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.UdpTestSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * UDP on every event loop: each loop has a socket on the port (SO_REUSEPORT), the kernel
 * spreads the sources across them, and the listener is still one port, one health and one
 * set of meters.
 */
@Timeout(60)
class UdpSpreadIntegrationTests {

	private static final int SOURCES = 128;

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.bind-address=127.0.0.1",
			"--timestamp.io-threads=4");

	@Test
	void spreadsManySourcesOverEverySocketOfThePort() {
		UdpInboundEndpoint endpoint = server.context().getBean(UdpInboundEndpoint.class);
		List<Long> before = endpoint.datagramsPerLane();
		for (int i = 0; i < SOURCES; i++) {
			// each source an address of its own (all of 127/8 is local on Linux)
			try (UdpTestSocket source = UdpTestSocket.on("127.0.1." + (i + 1))) {
				byte[] request = ("source " + i).getBytes(StandardCharsets.US_ASCII);
				source.send(server.udpPort(), request);
				assertStamped(source.receivePayload(), request);
			}
		}
		List<Long> after = endpoint.datagramsPerLane();
		assertThat(after).hasSize(4);
		long total = 0;
		for (int lane = 0; lane < after.size(); lane++) {
			long sources = after.get(lane) - before.get(lane);
			// 32 expected on each; fewer than 8 on any is a chance below one in a million
			assertThat(sources).as("sources on socket %d of %s", lane, after).isGreaterThanOrEqualTo(8);
			total += sources;
		}
		assertThat(total).isEqualTo(SOURCES);
	}

	@Test
	void reportsTheSocketsAsOneListener() {
		assertThat(server.get("/actuator/health/udp").body()).contains("\"status\":\"UP\"")
			.contains("\"port\":" + server.udpPort());
		assertThat(server.context().getBean(UdpInboundEndpoint.class).laneCount()).isEqualTo(4);
	}

	@Test
	void aSecondServerCannotShareThePortThroughReusePort() {
		assertThatException()
			.isThrownBy(
					() -> RunningServer
						.start("--timestamp.bind-address=127.0.0.1", "--timestamp.io-threads=4",
								"--timestamp.udp.port=" + server.udpPort(), "--timestamp.tcp.enabled=false")
						.close())
			.withStackTraceContaining("UDP listener could not bind");
	}

}
