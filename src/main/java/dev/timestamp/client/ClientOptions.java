package dev.timestamp.client;

import java.time.Duration;

import dev.timestamp.framing.Framing;
import picocli.CommandLine.Option;

/**
 * Options both clients share.
 */
public class ClientOptions {

	@Option(names = "--host", defaultValue = "localhost", description = "Server host (default: ${DEFAULT-VALUE}).")
	String host;

	@Option(names = "--port", defaultValue = "21567", converter = PortConverter.class,
			description = "Server port (default: ${DEFAULT-VALUE}).")
	int port;

	@Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
			description = "How long to wait for a reply: seconds, or with a unit (500ms, 2s; default: ${DEFAULT-VALUE}).")
	Duration timeout;

	@Option(names = "--framing", defaultValue = "line", converter = FramingConverter.class,
			description = "TCP framing, as the server's timestamp.tcp.framing: line, crlf, raw, stx-etx, length-header (default: ${DEFAULT-VALUE}).")
	Framing framing;

	int timeoutMillis() {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, this.timeout.toMillis()));
	}

	String target() {
		return this.host + ":" + this.port;
	}

}
