package dev.timestamp.hostile;

import java.util.Arrays;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.Udp;
import dev.timestamp.support.UdpTestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With the default {@code max-datagram-bytes}, the largest request a UDP datagram can
 * carry: its reply adds the stamp, and a UDP datagram carries at most 65,507 bytes over
 * IPv4 and 65,527 over IPv6. A request whose reply cannot be sent is dropped as too
 * large, not reported as answered.
 */
@Timeout(60)
class UdpLargestReplyIntegrationTests {

	private static final int IPV4_LARGEST_REPLY = 65_507;

	private static final int IPV6_LARGEST_REPLY = 65_527;

	/** The wildcard address: both families, as the service binds by default. */
	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.bind-address=::");

	@Test
	void answersTheLargestRequestWhoseReplyFitsInAnIpv4Datagram() {
		byte[] largest = payload(IPV4_LARGEST_REPLY - prefixLength());
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			assertStamped(socket.send(server.udpPort(), largest).receivePayload(), largest);
		}
	}

	@Test
	void dropsAsTooLargeARequestWhoseReplyWouldNotFitInAnIpv4Datagram() {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			assertDroppedAsTooLarge(socket, IPV4_LARGEST_REPLY - prefixLength() + 1);
		}
	}

	@Test
	void answersAndDropsAtTheIpv6LimitOverIpv6() {
		assumeTrue(Udp.hasIpv6Loopback(), "this host has no ::1");
		byte[] largest = payload(IPV6_LARGEST_REPLY - prefixLength());
		try (UdpTestSocket socket = UdpTestSocket.ipv6Loopback()) {
			assertStamped(socket.send(server.udpPort(), largest).receivePayload(), largest);
			assertDroppedAsTooLarge(socket, IPV6_LARGEST_REPLY - prefixLength() + 1);
		}
	}

	private static void assertDroppedAsTooLarge(UdpTestSocket socket, int size) {
		PrometheusText before = server.scrape();
		socket.send(server.udpPort(), payload(size));
		Awaitility.await()
			.until(() -> delta(before, server.scrape(), "timestamp_udp_datagrams_dropped_total", "reason",
					"too_large") == 1);
		PrometheusText after = server.scrape();
		assertThat(delta(before, after, "timestamp_udp_datagrams_dropped_total", "reason", "send_failed")).isZero();
		assertThat(delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "udp")).isZero();
		assertThat(delta(before, after, "timestamp_sent_bytes_total", "transport", "udp")).isZero();
		// the socket is still answered, and nothing of the dropped request arrives
		byte[] next = "next".getBytes();
		assertStamped(socket.send(server.udpPort(), next).receivePayload(), next);
	}

	private static byte[] payload(int size) {
		byte[] payload = new byte[size];
		Arrays.fill(payload, (byte) 'u');
		return payload;
	}

}
