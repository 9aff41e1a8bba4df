package dev.timestamp.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A blocking test client on a real socket. Every read gives up after 10 s, so a missing
 * reply fails the test instead of hanging it.
 * <p>
 * Deliberately not the product's {@code BlockingTcpClient}: that one speaks frames, as a
 * user's client should, while the tests need raw bytes (malformed and partial frames,
 * {@link #readExactly}, a reset, a half-close at any point). A raw mode on the
 * user-facing client would exist only for the tests; {@code duplicates} finds no shared
 * code between the two.
 */
public final class TcpTestClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	public TcpTestClient(int port) {
		this(null, new InetSocketAddress("127.0.0.1", port));
	}

	/** Takes over a connected socket (a TLS one, say). */
	public TcpTestClient(Socket connected) {
		try {
			this.socket = connected;
			this.socket.setSoTimeout(10_000);
			this.in = new BufferedInputStream(this.socket.getInputStream());
			this.out = this.socket.getOutputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Socket socket() {
		return this.socket;
	}

	/** Connects to {@code server} from {@code local} (any local address when null). */
	public TcpTestClient(@Nullable InetSocketAddress local, InetSocketAddress server) {
		try {
			this.socket = new Socket();
			if (local != null) {
				this.socket.bind(local);
			}
			this.socket.connect(server, 5000);
			this.socket.setSoTimeout(10_000);
			this.in = new BufferedInputStream(this.socket.getInputStream());
			this.out = this.socket.getOutputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public TcpTestClient send(byte[] bytes) {
		try {
			this.out.write(bytes);
			this.out.flush();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public TcpTestClient send(String text) {
		return send(text.getBytes(StandardCharsets.UTF_8));
	}

	/** Reads up to and without the next CRLF. */
	public byte[] readCrlfLine() {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int b = read();
			if (b < 0) {
				throw new UncheckedIOException(new EOFException("closed after " + line.size() + " bytes: " + line));
			}
			if (previous == '\r' && b == '\n') {
				byte[] bytes = line.toByteArray();
				return Arrays.copyOf(bytes, bytes.length - 1);
			}
			line.write(b);
			previous = b;
		}
	}

	public String readLine() {
		return new String(readCrlfLine(), StandardCharsets.UTF_8);
	}

	public byte[] readExactly(int length) {
		try {
			byte[] bytes = this.in.readNBytes(length);
			if (bytes.length < length) {
				throw new EOFException("closed after " + bytes.length + " of " + length + " bytes");
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * True when the server has closed the connection: the next read sees end of stream or
	 * a reset.
	 */
	public boolean isClosedByServer() {
		try {
			return this.in.read() < 0;
		}
		catch (SocketException ex) {
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Half-closes: the server sees end of input but can still reply. */
	public void shutdownOutput() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Closes with a reset (RST) instead of FIN. */
	public void reset() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private int read() {
		try {
			return this.in.read();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
