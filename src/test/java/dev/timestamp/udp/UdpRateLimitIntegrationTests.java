package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.SharedServer;
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
			"--timestamp.udp.rate-limit.enabled=true", "--timestamp.udp.rate-limit.requests-per-second=1",
			"--timestamp.udp.rate-limit.burst=3");

	@Test
	void answersASourceUpToItsBurstAndCountsTheRestAsRateLimited() throws IOException {
		PrometheusText before = server.scrape();
		int replies;
		try (DatagramSocket flooder = socketOn("127.0.0.3")) {
			for (int i = 0; i < DATAGRAMS; i++) {
				send(flooder, "flood " + i);
			}
			Awaitility.await().until(() -> handled(before, server.scrape()) == DATAGRAMS);
			replies = drainReplies(flooder);
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
		try (DatagramSocket flooder = socketOn("127.0.0.4"); DatagramSocket neighbour = socketOn("127.0.0.5")) {
			for (int i = 0; i < DATAGRAMS; i++) {
				send(flooder, "flood " + i);
			}
			send(neighbour, "still here");
			DatagramPacket reply = new DatagramPacket(new byte[512], 512);
			neighbour.receive(reply);
			assertStamped(Arrays.copyOf(reply.getData(), reply.getLength()), "still here");
		}
		assertThat(server.scrape().value("timestamp_udp_rate_limit_tracked_sources")).isGreaterThanOrEqualTo(2);
	}

	private static long handled(PrometheusText before, PrometheusText after) {
		return delta(before, after, "timestamp_requests_total", "outcome", "ok", "transport", "udp")
				+ delta(before, after, "timestamp_udp_datagrams_dropped_total", "reason", "rate_limited");
	}

	/**
	 * Every reply the server sent has been sent once the counters show it; read them all.
	 */
	private static int drainReplies(DatagramSocket socket) throws IOException {
		socket.setSoTimeout(500);
		int replies = 0;
		DatagramPacket reply = new DatagramPacket(new byte[512], 512);
		try {
			while (true) {
				socket.receive(reply);
				replies++;
			}
		}
		catch (SocketTimeoutException ex) {
			return replies;
		}
	}

	private static DatagramSocket socketOn(String address) throws IOException {
		DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(address));
		socket.setSoTimeout(5000);
		socket.setReceiveBufferSize(1 << 20);
		return socket;
	}

	private static void send(DatagramSocket socket, String payload) throws IOException {
		byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
		socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), server.udpPort()));
	}

}
