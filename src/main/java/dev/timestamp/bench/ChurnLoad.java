package dev.timestamp.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * One thread of short connections in {@code line} framing, most of them well behaved
 * (connect, one line, read the reply, close) and some not: every tenth sends a line over
 * the server's limit and must get the documented error line and a close, every tenth
 * resets the connection in the middle of a request.
 */
final class ChurnLoad implements Runnable {

	private final BenchOptions options;

	private volatile boolean stopping;

	final LongAdder connections = new LongAdder();

	final LongAdder answered = new LongAdder();

	final LongAdder rejected = new LongAdder();

	final LongAdder resets = new LongAdder();

	final LongAdder errors = new LongAdder();

	private final Thread thread = new Thread(this, "bench-churn");

	ChurnLoad(BenchOptions options) {
		this.options = options;
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void stop() throws InterruptedException {
		this.stopping = true;
		this.thread.join();
	}

	@Override
	public void run() {
		for (long i = 0; !this.stopping; i++) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(this.options.host, this.options.port),
						(int) this.options.timeout.toMillis());
				socket.setSoTimeout((int) this.options.timeout.toMillis());
				this.connections.increment();
				switch ((int) (i % 10)) {
					case 3 -> oversized(socket);
					case 7 -> reset(socket);
					default -> oneLine(socket, "churn " + i);
				}
			}
			catch (IOException ex) {
				this.errors.increment();
			}
		}
	}

	private void oneLine(Socket socket, String payload) throws IOException {
		socket.getOutputStream().write((payload + "\n").getBytes(StandardCharsets.US_ASCII));
		String reply = readLine(socket.getInputStream());
		if (reply != null && reply.startsWith("[") && reply.endsWith("] " + payload)) {
			this.answered.increment();
		}
		else {
			this.errors.increment();
		}
	}

	/** A line one byte over the limit: the error line, then the server closes. */
	private void oversized(Socket socket) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(new byte[this.options.maxFrameBytes + 1]);
		out.write('\n');
		String reply = readLine(socket.getInputStream());
		if (reply != null && reply.startsWith("ERR frame exceeds")) {
			this.rejected.increment();
		}
		else {
			this.errors.increment();
		}
	}

	private void reset(Socket socket) throws IOException {
		socket.getOutputStream().write("half a requ".getBytes(StandardCharsets.US_ASCII));
		socket.setSoLinger(true, 0);
		this.resets.increment();
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return null;
	}

}
