package dev.timestamp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

import dev.timestamp.client.BlockingTcpClient;
import dev.timestamp.framing.Framing;

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
		int timeoutMillis = (int) this.options.timeout.toMillis();
		for (long i = 0; !this.stopping; i++) {
			try (BlockingTcpClient client = new BlockingTcpClient(this.options.host, this.options.port, Framing.LINE,
					timeoutMillis)) {
				this.connections.increment();
				switch ((int) (i % 10)) {
					case 3 -> oversized(client);
					case 7 -> {
						client.abortMidRequest(ascii("a request cut short"));
						this.resets.increment();
					}
					default -> oneLine(client, "churn " + i);
				}
			}
			catch (IOException ex) {
				this.errors.increment();
			}
		}
	}

	private void oneLine(BlockingTcpClient client, String payload) throws IOException {
		client.send(ascii(payload));
		client.flush();
		String reply = new String(client.receive(), StandardCharsets.ISO_8859_1);
		count(reply.startsWith("[") && reply.endsWith("] " + payload), this.answered);
	}

	/** A line one byte over the limit: the error line, then the server closes. */
	private void oversized(BlockingTcpClient client) throws IOException {
		client.send(new byte[this.options.maxFrameBytes + 1]);
		client.flush();
		count(new String(client.receive(), StandardCharsets.ISO_8859_1).startsWith("ERR frame exceeds"), this.rejected);
	}

	private void count(boolean asExpected, LongAdder counter) {
		(asExpected ? counter : this.errors).increment();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
