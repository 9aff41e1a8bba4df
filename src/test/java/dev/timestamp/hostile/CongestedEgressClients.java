package dev.timestamp.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.Replies;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.UdpTestSocket;

/**
 * The clients of {@link UdpCongestedEgressProcessTests}, run as a process of their own
 * inside the server's network namespace (where the test's own JVM cannot reach): UDP
 * senders that never read, a good TCP client throughout, then one UDP request once the
 * flood is over. Prints what it saw, then a scrape taken as the flood ended.
 * <p>
 * Arguments: TCP port, UDP port, HTTP port, seconds of flood.
 */
public final class CongestedEgressClients {

	static final String SCRAPE_MARKER = "--- scrape at the end of the flood";

	private static final int SENDERS = 8;

	private CongestedEgressClients() {
	}

	public static void main(String[] args) throws Exception {
		int tcpPort = Integer.parseInt(args[0]);
		int udpPort = Integer.parseInt(args[1]);
		int httpPort = Integer.parseInt(args[2]);
		long floodNanos = Long.parseLong(args[3]) * 1_000_000_000L;
		Thread flood = new Thread(() -> sendWithoutReading(udpPort, floodNanos));
		flood.start();
		int good = 0;
		try (TcpTestClient client = new TcpTestClient(tcpPort)) {
			String request = "good ".repeat(400);
			while (flood.isAlive()) {
				client.send(request + good + "\n");
				Replies.assertStamped(client.readCrlfLine(), request + good);
				good++;
				Thread.sleep(10);
			}
		}
		String scrape = HttpResult.get(httpPort, "/actuator/prometheus").body();
		System.out.println("good client answered " + good + " times");
		System.out.println("udp after the flood: " + (udpAnsweredWithinAMinute(udpPort) ? "answered" : "no reply"));
		System.out.println(SCRAPE_MARKER);
		System.out.println(scrape);
	}

	/** 1,400-byte datagrams from {@link #SENDERS} sockets, as fast as they go. */
	private static void sendWithoutReading(int port, long nanos) {
		ByteBuffer datagram = ByteBuffer.wrap("x".repeat(1400).getBytes(StandardCharsets.US_ASCII));
		InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
		List<DatagramChannel> senders = new ArrayList<>();
		try {
			for (int i = 0; i < SENDERS; i++) {
				DatagramChannel sender = DatagramChannel.open();
				// a small receive buffer: the replies are not wanted
				sender.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
				sender.configureBlocking(false);
				sender.connect(server);
				senders.add(sender);
			}
			long end = System.nanoTime() + nanos;
			while (System.nanoTime() < end) {
				for (DatagramChannel sender : senders) {
					sender.write(datagram.duplicate());
				}
			}
			for (DatagramChannel sender : senders) {
				sender.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Asks once every 5 s (the socket's timeout) until answered, a minute at most. */
	private static boolean udpAnsweredWithinAMinute(int port) {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			for (int attempt = 0; attempt < 12; attempt++) {
				socket.send(port, "after".getBytes(StandardCharsets.US_ASCII));
				try {
					Replies.assertStamped(socket.receivePayload(), "after");
					return true;
				}
				catch (UncheckedIOException ex) {
					// no reply within 5 s: ask again
				}
			}
			return false;
		}
	}

}
