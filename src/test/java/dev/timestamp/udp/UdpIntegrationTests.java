package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
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
		try (DatagramSocket socket = newSocket()) {
			send(socket, "hello".getBytes(StandardCharsets.US_ASCII));
			DatagramPacket reply = receive(socket);
			assertThat(reply.getPort()).isEqualTo(server.udpPort());
			assertStamped(Arrays.copyOf(reply.getData(), reply.getLength()), "hello");
		}
	}

	@Test
	void repliesWithoutATerminator() throws IOException {
		try (DatagramSocket socket = newSocket()) {
			send(socket, "line\n".getBytes(StandardCharsets.US_ASCII));
			assertStamped(payload(receive(socket)), "line\n");
		}
	}

	@Test
	void answersAnEmptyDatagram() throws IOException {
		try (DatagramSocket socket = newSocket()) {
			send(socket, new byte[0]);
			assertStamped(payload(receive(socket)), "");
		}
	}

	@Test
	void echoesEveryByteValueVerbatim() throws IOException {
		byte[] all = new byte[256];
		for (int i = 0; i < 256; i++) {
			all[i] = (byte) i;
		}
		try (DatagramSocket socket = newSocket()) {
			send(socket, all);
			assertStamped(payload(receive(socket)), all);
		}
	}

	@Test
	void dropsADatagramOverTheLimitInsteadOfTruncatingIt() throws IOException {
		try (DatagramSocket socket = newSocket()) {
			send(socket, new byte[513]);
			byte[] largest = "z".repeat(512).getBytes(StandardCharsets.US_ASCII);
			send(socket, largest);
			// Replies come in order on loopback: the first one is for the datagram that
			// fits.
			assertStamped(payload(receive(socket)), largest);
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
					try (DatagramSocket socket = newSocket()) {
						// A connected socket only accepts datagrams from the address it
						// is connected to.
						socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.udpPort()));
						for (int n = 0; n < 20; n++) {
							byte[] request = (id + "/" + n).getBytes(StandardCharsets.US_ASCII);
							socket.send(new DatagramPacket(request, request.length));
							assertStamped(payload(receive(socket)), request);
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

	private static DatagramSocket newSocket() throws IOException {
		DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
		socket.setSoTimeout(5000);
		return socket;
	}

	private static void send(DatagramSocket socket, byte[] bytes) throws IOException {
		socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.udpPort()));
	}

	private static DatagramPacket receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
		socket.receive(packet);
		return packet;
	}

	private static byte[] payload(DatagramPacket packet) {
		return Arrays.copyOf(packet.getData(), packet.getLength());
	}

}
