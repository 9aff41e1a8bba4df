package dev.timestamp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines requests without pause while it reads its replies slowly but
 * steadily, until the server ends the connection: a good client on a slow link. It starts
 * reading after a second, then at 1.6 MB/s: a server whose replies back up (some MB in
 * the kernel's buffers, on Linux) then holds more than the client reads in two seconds.
 * Each reply is checked; a cut stream (a partial last line, over TLS a missing
 * close_notify) fails.
 */
public final class SlowReadingClient {

	private static final int CHUNK = 64 * 1024;

	private static final long BYTES_PER_SECOND = 1_600_000;

	private static final long FIRST_READ_AFTER_MILLIS = 1000;

	private SlowReadingClient() {
	}

	/**
	 * A connection to {@code port} on loopback with a small receive buffer, so that the
	 * replies back up sooner.
	 */
	public static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(16 * 1024);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		socket.setSoTimeout(30_000);
		return socket;
	}

	/** Pipelines {@code request} until the server ends; returns the replies read. */
	public static long pipelineUntilTheServerEnds(Socket socket, String request) throws Exception {
		Thread writer = new Thread(() -> pipeline(socket, request));
		writer.start();
		InputStream in = socket.getInputStream();
		Thread.sleep(FIRST_READ_AFTER_MILLIS);
		long start = System.nanoTime();
		long bytes = 0;
		byte[] chunk = new byte[CHUNK];
		StringBuilder partial = new StringBuilder();
		long replies = 0;
		for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
			partial.append(new String(chunk, 0, read, StandardCharsets.US_ASCII));
			for (int end = partial.indexOf("\r\n"); end >= 0; end = partial.indexOf("\r\n")) {
				assertThat(partial.substring(0, end)).endsWith("] " + request);
				partial.delete(0, end + 2);
				replies++;
			}
			// Paced by bytes: over TLS a read returns one record, however small.
			bytes += read;
			long aheadNanos = start + bytes * 1_000_000_000 / BYTES_PER_SECOND - System.nanoTime();
			if (aheadNanos > 0) {
				Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
			}
		}
		assertThat(partial).as("the last reply is whole").isEmpty();
		socket.close();
		writer.join();
		return replies;
	}

	private static void pipeline(Socket socket, String request) {
		byte[] batch = (request + "\n").repeat(50).getBytes(StandardCharsets.US_ASCII);
		try {
			OutputStream out = socket.getOutputStream();
			while (true) {
				out.write(batch);
			}
		}
		catch (IOException ex) {
			// the server has closed, or the reader has
		}
	}

}
