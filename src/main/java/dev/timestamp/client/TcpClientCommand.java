package dev.timestamp.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.timestamp.framing.Framing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code client tcp}: interactive at a terminal (prompt {@code > }, an empty line ends),
 * one request per line from a pipe, or the messages given as arguments.
 */
@Command(name = "tcp", description = "Send lines to the TCP listener and print each reply.",
		mixinStandardHelpOptions = true)
public class TcpClientCommand implements Callable<Integer> {

	@Mixin
	ClientOptions options;

	@Mixin
	TcpConnectOptions connect = new TcpConnectOptions();

	@Parameters(arity = "0..*", paramLabel = "MESSAGE",
			description = "Messages to send, one request each; without them, reads standard input.")
	List<String> messages = new ArrayList<>();

	private final Io io;

	public TcpClientCommand(Io io) {
		this.io = io;
	}

	@Override
	public Integer call() {
		String problem = this.connect.tls().problem();
		if (problem != null) {
			this.io.err().println("timestamp client: " + problem);
			return 2;
		}
		try (BlockingTcpClient client = new BlockingTcpClient(this.options.host, this.options.port,
				this.options.framing, this.options.timeoutMillis(),
				this.connect.proxy().header(new InetSocketAddress(this.options.host, this.options.port)),
				this.connect.tls().enabled() ? this.connect.tls().jdkContext() : null,
				this.connect.tls().verifiesHost())) {
			if (!this.messages.isEmpty()) {
				List<byte[]> requests = new ArrayList<>();
				this.messages.forEach((message) -> requests.add(message.getBytes(StandardCharsets.UTF_8)));
				return batch(client, new ListSource(requests));
			}
			if (this.io.interactive()) {
				return interactive(client);
			}
			return batch(client, new LineInput(this.io.in())::next);
		}
		catch (IOException ex) {
			return ClientErrors.report(this.io, "tcp", this.options, ex);
		}
	}

	/**
	 * The tutorial's loop: prompt, send, print the reply; an empty line or end of input
	 * ends it.
	 */
	private int interactive(BlockingTcpClient client) throws IOException {
		LineInput input = new LineInput(this.io.in());
		while (true) {
			this.io.out().print("> ");
			this.io.out().flush();
			byte[] line = input.next();
			if (line == null || line.length == 0) {
				return 0;
			}
			client.send(line);
			client.flush();
			printReply(client.receive());
		}
	}

	/**
	 * Sends every request and prints the replies in order. Requests are pipelined (a
	 * writer thread sends while replies are read), except in raw framing, where a request
	 * is only delimited by waiting for its reply.
	 */
	private int batch(BlockingTcpClient client, RequestSource requests) throws IOException {
		if (this.options.framing == Framing.RAW) {
			byte[] request;
			while ((request = requests.next()) != null) {
				if (request.length == 0) {
					// Raw framing has no way to send an empty request: nothing would
					// arrive.
					continue;
				}
				client.send(request);
				client.flush();
				printReply(client.receive());
			}
			return 0;
		}
		AtomicLong sent = new AtomicLong();
		AtomicReference<IOException> sendFailure = new AtomicReference<>();
		AtomicBoolean allSent = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			try {
				byte[] request;
				while ((request = requests.next()) != null) {
					sent.incrementAndGet();
					client.send(request);
				}
				client.finishSending();
				allSent.set(true);
			}
			catch (IOException ex) {
				sendFailure.set(ex);
			}
		}, "client-writer");
		writer.setDaemon(true);
		writer.start();
		long received = 0;
		while (true) {
			// Over TLS the end of the requests is not signalled (a TLS engine may take a
			// half-close for a full one): the last reply ends the session.
			if (!client.halfCloses() && allSent.get() && received == sent.get()) {
				break;
			}
			try {
				printReply(client.receive());
				received++;
			}
			catch (EOFException ex) {
				break;
			}
			catch (SocketTimeoutException ex) {
				if (received < sent.get() || sendFailure.get() != null) {
					throw ex;
				}
				// Nothing outstanding: the input is just slow.
			}
		}
		if (sendFailure.get() != null) {
			throw sendFailure.get();
		}
		if (received < sent.get()) {
			this.io.err()
				.println("timestamp client: " + (sent.get() - received) + " of " + sent.get()
						+ " requests got no reply from " + this.options.target() + ((received == 0)
								? ": " + ClientErrors.closedWithoutReplying(this.connect.tls().enabled()) : ""));
			return 1;
		}
		return 0;
	}

	private void printReply(byte[] reply) {
		this.io.out().write(reply, 0, reply.length);
		this.io.out().write('\n');
		this.io.out().flush();
	}

}
