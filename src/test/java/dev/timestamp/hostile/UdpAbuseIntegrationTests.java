package dev.timestamp.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.Udp;
import dev.timestamp.support.UdpTestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Datagrams meant to hurt: empty, oversized, cut short by the receive buffer, and replies
 * aimed at ports that answer with ICMP port unreachable. The receive loop keeps running
 * and every datagram is either answered or counted.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class UdpAbuseIntegrationTests {

	private static final int MAX = 100;

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.udp.max-datagram-bytes=" + MAX);

	@Test
	void answersAnEmptyDatagramWithTheTimestampAlone() {
		assertStamped(Udp.exchange(server.udpPort(), new byte[0]), "");
	}

	@Test
	void dropsAndCountsOversizedDatagramsUpToTheLargestUdpAllows(CapturedOutput output) throws IOException {
		PrometheusText before = server.scrape();
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			// one byte over, and one the kernel truncates to the receive slot
			for (int size : new int[] { MAX + 1, 65_507 }) {
				socket.send(server.udpPort(), new byte[size]);
			}
		}
		Awaitility.await()
			.until(() -> delta(before, server.scrape(), "timestamp_udp_datagrams_dropped_total", "reason",
					"too_large") == 2);
		assertThat(delta(before, server.scrape(), "timestamp_requests_total", "outcome", "ok", "transport", "udp"))
			.isZero();
		assertStamped(Udp.exchange(server.udpPort(), "after".getBytes(StandardCharsets.US_ASCII)), "after");
		assertThat(output.getAll()).doesNotContain("\tat ");
	}

	@Test
	void keepsReceivingWhenRepliesMeetClosedPorts(CapturedOutput output) throws IOException {
		PrometheusText before = server.scrape();
		for (int i = 0; i < 200; i++) {
			// the socket is gone before the reply arrives: the kernel answers ICMP port
			// unreachable
			try (UdpTestSocket gone = UdpTestSocket.loopback()) {
				gone.send(server.udpPort(), ("to nobody " + i).getBytes(StandardCharsets.US_ASCII));
			}
		}
		Awaitility.await()
			.until(() -> delta(before, server.scrape(), "timestamp_requests_total", "outcome", "ok", "transport", "udp")
					+ delta(before, server.scrape(), "timestamp_udp_datagrams_dropped_total", "reason",
							"send_failed") >= 200);
		assertStamped(Udp.exchange(server.udpPort(), "still there".getBytes(StandardCharsets.US_ASCII)), "still there");
		assertThat(server.get("/actuator/health/udp").body()).contains("\"UP\"");
		assertThat(output.getAll()).doesNotContain("\tat ");
	}

}
