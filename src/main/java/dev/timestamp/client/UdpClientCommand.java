package dev.timestamp.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code client udp}: one datagram per line or message. UDP loses datagrams, so a request
 * without a reply within the timeout is sent again, up to {@code --retries} times.
 */
@Command(name = "udp", description = "Send datagrams to the UDP listener and print each reply.",
		mixinStandardHelpOptions = true)
public class UdpClientCommand implements Callable<Integer> {

	private static final int MAX_DATAGRAM = 65_535;

	@Mixin
	ClientOptions options;

	@Option(names = "--retries", defaultValue = "2",
			description = "Times a request without a reply is sent again (default: ${DEFAULT-VALUE}).")
	int retries;

	@Parameters(arity = "0..*", paramLabel = "MESSAGE",
			description = "Messages to send, one datagram each; without them, reads standard input.")
	List<String> messages = new ArrayList<>();

	private final Io io;

	public UdpClientCommand(Io io) {
		this.io = io;
	}

	@Override
	public Integer call() {
		if (this.retries < 0) {
			this.io.err().println("timestamp client: --retries must not be negative");
			return 2;
		}
		try (DatagramSocket socket = new DatagramSocket()) {
			InetSocketAddress server = new InetSocketAddress(this.options.host, this.options.port);
			if (server.isUnresolved()) {
				throw new UnknownHostException(this.options.host);
			}
			// Connected: only the server's replies are received, and ICMP "port
			// unreachable" is reported.
			socket.connect(server);
			socket.setSoTimeout(this.options.timeoutMillis());
			RequestSource requests;
			if (!this.messages.isEmpty()) {
				List<byte[]> list = new ArrayList<>();
				this.messages.forEach((message) -> list.add(message.getBytes(StandardCharsets.UTF_8)));
				requests = new ListSource(list);
			}
			else {
				requests = new LineInput(this.io.in())::next;
			}
			int failures = 0;
			while (true) {
				if (this.io.interactive() && this.messages.isEmpty()) {
					this.io.out().print("> ");
					this.io.out().flush();
				}
				byte[] request = requests.next();
				if (request == null || (request.length == 0 && this.io.interactive() && this.messages.isEmpty())) {
					break;
				}
				byte[] reply = exchange(socket, request);
				if (reply == null) {
					failures++;
					this.io.err()
						.println("timestamp client: no reply from udp " + this.options.target() + " after "
								+ (this.retries + 1) + " attempts of " + this.options.timeout.toMillis() + " ms");
					continue;
				}
				this.io.out().write(reply, 0, reply.length);
				this.io.out().write('\n');
				this.io.out().flush();
			}
			return (failures == 0) ? 0 : 1;
		}
		catch (IOException ex) {
			return ClientErrors.report(this.io, "udp", this.options, ex);
		}
	}

	/**
	 * Sends the request until a reply that echoes it arrives; {@code null} after the last
	 * attempt.
	 */
	private byte @Nullable [] exchange(DatagramSocket socket, byte[] request) throws IOException {
		if (request.length == 0) {
			try (DatagramSocket unconnected = new DatagramSocket()) {
				return exchange(unconnected, request, (InetSocketAddress) socket.getRemoteSocketAddress());
			}
		}
		return exchange(socket, request, null);
	}

	/**
	 * The JDK sends nothing for an empty datagram on a connected socket, so an empty
	 * request goes from an unconnected one ({@code to} set), which takes replies from the
	 * server only.
	 */
	private byte @Nullable [] exchange(DatagramSocket socket, byte[] request, @Nullable InetSocketAddress to)
			throws IOException {
		byte[] buffer = new byte[MAX_DATAGRAM];
		for (int attempt = 0; attempt <= this.retries; attempt++) {
			socket.send((to != null) ? new DatagramPacket(request, request.length, to)
					: new DatagramPacket(request, request.length));
			long deadline = System.nanoTime() + this.options.timeout.toNanos();
			while (true) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					break;
				}
				socket.setSoTimeout((int) Math.max(1, left));
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				try {
					socket.receive(packet);
				}
				catch (SocketTimeoutException ex) {
					break;
				}
				if (to != null && !to.equals(packet.getSocketAddress())) {
					continue;
				}
				byte[] reply = Arrays.copyOf(packet.getData(), packet.getLength());
				// A late reply to an earlier request (or an earlier attempt) is skipped.
				if (answers(reply, request)) {
					return reply;
				}
			}
		}
		return null;
	}

	private static boolean answers(byte[] reply, byte[] request) {
		int offset = reply.length - request.length;
		return offset >= 3 && reply[0] == '[' && reply[offset - 2] == ']' && reply[offset - 1] == ' '
				&& Arrays.equals(reply, offset, reply.length, request, 0, request.length);
	}

}
