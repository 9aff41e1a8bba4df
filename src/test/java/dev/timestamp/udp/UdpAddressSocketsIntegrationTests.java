package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.timestamp.support.RunningServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the wildcard address, a local address found only when a datagram arrives for it gets
 * a socket of its own, so its replies leave from it: within a bound, with unused sockets
 * closed, and never a reply from an address the client did not ask.
 */
@Timeout(60)
class UdpAddressSocketsIntegrationTests {

	@Test
	void pastTheBoundADatagramToYetAnotherAddressIsDroppedNotAnsweredFromAnother() throws IOException {
		try (RunningServer server = RunningServer.start("--timestamp.bind-address=0.0.0.0", "--timestamp.io-threads=1",
				"--timestamp.udp.max-address-sockets=3", "--timestamp.udp.address-socket-idle-timeout=1h");
				DatagramSocket client = unconnected()) {
			for (int i = 1; i <= 3; i++) {
				assertAnsweredFrom(client, "127.0.9." + i, server.udpPort());
			}
			send(client, "127.0.9.4", server.udpPort());
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_udp_datagrams_dropped_total", "reason", "address_sockets") == 1);
			// Had it been answered from another address, that reply would come first.
			assertAnsweredFrom(client, "127.0.9.1", server.udpPort());
			assertThat(server.scrape().value("timestamp_udp_address_sockets")).isEqualTo(3);
		}
	}

	@Test
	void anUnusedAddressSocketIsClosedSoANewAddressGetsItsPlace() throws IOException {
		try (RunningServer server = RunningServer.start("--timestamp.bind-address=0.0.0.0", "--timestamp.io-threads=1",
				"--timestamp.udp.max-address-sockets=1", "--timestamp.udp.address-socket-idle-timeout=100ms");
				DatagramSocket client = unconnected()) {
			assertAnsweredFrom(client, "127.0.8.1", server.udpPort());
			client.setSoTimeout(200);
			Awaitility.await().until(() -> {
				send(client, "127.0.8.2", server.udpPort());
				DatagramPacket reply = receive(client);
				if (reply == null) {
					return false;
				}
				assertThat(reply.getAddress().getHostAddress()).isEqualTo("127.0.8.2");
				return true;
			});
			assertThat(server.scrape().value("timestamp_udp_address_sockets")).isEqualTo(1);
		}
	}

	private static DatagramSocket unconnected() throws IOException {
		DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
		socket.setSoTimeout(5000);
		return socket;
	}

	private static void send(DatagramSocket client, String address, int port) throws IOException {
		byte[] request = ("to " + address).getBytes(StandardCharsets.US_ASCII);
		client.send(new DatagramPacket(request, request.length, InetAddress.getByName(address), port));
	}

	private static void assertAnsweredFrom(DatagramSocket client, String address, int port) throws IOException {
		send(client, address, port);
		DatagramPacket reply = receive(client);
		assertThat(reply).as("a reply to a datagram sent to " + address).isNotNull();
		assertThat(reply.getAddress().getHostAddress()).isEqualTo(address);
		assertStamped(Arrays.copyOf(reply.getData(), reply.getLength()),
				("to " + address).getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * The next datagram, or {@code null} when none arrives within the socket's timeout.
	 */
	private static DatagramPacket receive(DatagramSocket client) throws IOException {
		DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
		try {
			client.receive(reply);
			return reply;
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
	}

}
