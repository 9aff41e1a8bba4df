package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.SharedServer;
import dev.timestamp.support.UdpTestSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP protocol against the real application: one reply per datagram, from the port
 * the datagram was sent to.
 */
@Timeout(60)
class UdpIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.udp.max-datagram-bytes=512");

	@Test
	void repliesToTheSenderFromTheListeningPort() throws IOException {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort(), "hello".getBytes(StandardCharsets.US_ASCII));
			DatagramPacket reply = socket.receive();
			assertThat(reply.getPort()).isEqualTo(server.udpPort());
			assertStamped(Arrays.copyOf(reply.getData(), reply.getLength()), "hello");
		}
	}

	@Test
	void repliesWithoutATerminator() throws IOException {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort(), "line\n".getBytes(StandardCharsets.US_ASCII));
			assertStamped(socket.receivePayload(), "line\n");
		}
	}

	@Test
	void answersAnEmptyDatagram() throws IOException {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort(), new byte[0]);
			assertStamped(socket.receivePayload(), "");
		}
	}

	@Test
	void echoesEveryByteValueVerbatim() throws IOException {
		byte[] all = new byte[256];
		for (int i = 0; i < 256; i++) {
			all[i] = (byte) i;
		}
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort(), all);
			assertStamped(socket.receivePayload(), all);
		}
	}

	@Test
	void dropsADatagramOverTheLimitInsteadOfTruncatingIt() throws IOException {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort(), new byte[513]);
			byte[] largest = "z".repeat(512).getBytes(StandardCharsets.US_ASCII);
			socket.send(server.udpPort(), largest);
			// Replies come in order on loopback: the first one is for the datagram that
			// fits.
			assertStamped(socket.receivePayload(), largest);
		}
	}

	@Test
	void repliesReachEachOfManyConnectedSocketsAtOnce() throws Exception {
		int senders = 50;
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		try {
			List<Future<?>> results = new ArrayList<>();
			for (int i = 0; i < senders; i++) {
				String id = "sender-" + i;
				results.add(pool.submit((Callable<Void>) () -> {
					try (UdpTestSocket socket = UdpTestSocket.loopback()) {
						// A connected socket only accepts datagrams from the address it
						// is connected to.
						socket.socket()
							.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.udpPort()));
						for (int n = 0; n < 20; n++) {
							byte[] request = (id + "/" + n).getBytes(StandardCharsets.US_ASCII);
							socket.socket().send(new DatagramPacket(request, request.length));
							assertStamped(socket.receivePayload(), request);
						}
					}
					return null;
				}));
			}
			for (Future<?> result : results) {
				result.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
