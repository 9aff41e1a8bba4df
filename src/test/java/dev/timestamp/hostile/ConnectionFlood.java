package dev.timestamp.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens connections one after another without sending, then sends a request on each in
 * the order they were opened: which of them were answered.
 */
final class ConnectionFlood {

	private ConnectionFlood() {
	}

	/** The indexes, in opening order, of the connections that got a stamped reply. */
	static List<Integer> served(int port, int connections) throws IOException {
		List<Socket> flood = new ArrayList<>();
		try {
			for (int i = 0; i < connections; i++) {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				socket.setSoTimeout(10_000);
				flood.add(socket);
			}
			List<Integer> served = new ArrayList<>();
			for (int i = 0; i < flood.size(); i++) {
				if (answers(flood.get(i))) {
					served.add(i);
				}
			}
			return served;
		}
		finally {
			flood.forEach(ConnectionFlood::closeQuietly);
		}
	}

	private static boolean answers(Socket socket) {
		try {
			socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			return in.read() == '[';
		}
		catch (SocketException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// gone already
		}
	}

}
