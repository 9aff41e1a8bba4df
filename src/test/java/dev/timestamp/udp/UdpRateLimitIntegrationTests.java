package dev.timestamp.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.UdpTestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code timestamp.udp.rate-limit.enabled}, a source over its rate gets no replies
 * and the drops are counted, while another source is still answered. Each test floods
 * from its own loopback address (all of 127/8 is local on Linux), so their buckets are
 * independent.
 */
@Timeout(60)
class UdpRateLimitIntegrationTests {

	private static final int DATAGRAMS = 50;

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.bind-address=127.0.0.1",
			"--timestamp.io-threads=4", "--timestamp.udp.rate-limit.enabled=true",
			"--timestamp.udp.rate-limit.requests-per-second=1", "--timestamp.udp.rate-limit.burst=3");

	@Test
	void answersASourceUpToItsBurstAndCountsTheRestAsRateLimited() throws IOException {
		PrometheusText before = server.scrape();
		int replies;
		try (UdpTestSocket flooder = socketOn("127.0.0.3")) {
			for (int i = 0; i < DATAGRAMS; i++) {
				send(flooder, "flood " + i);
			}
			Awaitility.await().until(() -> handled(before, server.scrape()) == DATAGRAMS);
			// every reply the server sent has been sent once the counters show it
			replies = flooder.drain(500);
		}
		PrometheusText after = server.scrape();
		long answered = delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "udp");
		// every datagram is either answered (and its reply arrives) or counted as rate
		// limited
		assertThat(replies).isEqualTo(answered);
		assertThat(delta(before, after, "timestamp_udp_datagrams_dropped_total", "reason", "rate_limited"))
			.isEqualTo(DATAGRAMS - answered);
		// the burst is answered at once; at one a second, most of the flood is not
		assertThat(answered).isBetween(3L, DATAGRAMS / 2L);
	}

	@Test
	void anotherSourceAddressIsStillAnswered() throws IOException {
		try (UdpTestSocket flooder = socketOn("127.0.0.4"); UdpTestSocket neighbour = socketOn("127.0.0.5")) {
			for (int i = 0; i < DATAGRAMS; i++) {
				send(flooder, "flood " + i);
			}
			send(neighbour, "still here");
			assertStamped(neighbour.receivePayload(), "still here");
		}
		assertThat(server.scrape().value("timestamp_udp_rate_limit_tracked_sources")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void oneSourceSendingFromManyPortsSharesOneBucketAcrossEverySocket() {
		// 32 source ports: the kernel spreads them over the 4 sockets of the port (by
		// address and port), so without one bucket per source address each socket would
		// answer a burst of its own; all 32 landing on one socket has a chance of 4^-31.
		PrometheusText before = server.scrape();
		List<UdpTestSocket> ports = new ArrayList<>();
		try {
			for (int i = 0; i < 32; i++) {
				ports.add(socketOn("127.0.0.6"));
			}
			for (int round = 0; round < 4; round++) {
				for (UdpTestSocket port : ports) {
					send(port, "round " + round);
				}
			}
			Awaitility.await().until(() -> handled(before, server.scrape()) == 4 * 32);
		}
		finally {
			ports.forEach(UdpTestSocket::close);
		}
		long answered = delta(before, server.scrape(), "timestamp_requests_total", "outcome", "ok", "transport", "udp");
		// the burst of 3, and one a second for however long the flood took
		assertThat(answered).isBetween(3L, 6L);
	}

	private static long handled(PrometheusText before, PrometheusText after) {
		return delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "udp")
				+ delta(before, after, "timestamp_udp_datagrams_dropped_total", "reason", "rate_limited");
	}

	private static UdpTestSocket socketOn(String address) {
		UdpTestSocket socket = UdpTestSocket.on(address);
		try {
			socket.socket().setReceiveBufferSize(1 << 20);
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
		return socket;
	}

	private static void send(UdpTestSocket socket, String payload) {
		socket.send(server.udpPort(), payload.getBytes(StandardCharsets.US_ASCII));
	}

}
