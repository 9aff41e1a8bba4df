package dev.timestamp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Bytes on the HTTP port as a misbehaving client sends them, on a fresh connection each.
 * Reads wait 15 s, far longer than the request timeouts the tests set, so a read that
 * times out means the server kept the connection open.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** Sends the bytes and returns everything the server answers before it closes. */
	public static String exchange(int port, String request) {
		try (Socket socket = connect(port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends the bytes, reads whatever comes back, and tells whether the server then
	 * closed.
	 */
	public static boolean closedByServer(int port, String partial) {
		try (Socket socket = connect(port)) {
			socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[4096];
			while (in.read(buffer) >= 0) {
				// a response to a complete request; the close comes after it
			}
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setSoTimeout(15_000);
		return socket;
	}

}
