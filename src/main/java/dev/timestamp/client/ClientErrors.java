package dev.timestamp.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns a failure into one line on standard error and exit code 1: no stack traces.
 */
final class ClientErrors {

	private ClientErrors() {
	}

	static int report(Io io, String transport, ClientOptions options, IOException ex) {
		io.err().println("timestamp client: " + describe(transport, options, ex));
		return 1;
	}

	static String describe(String transport, ClientOptions options, IOException ex) {
		String target = transport + " " + options.target();
		if (ex instanceof UnknownHostException) {
			return "unknown host: " + options.host;
		}
		if (ex instanceof ConnectException) {
			return "connection refused: nothing listens on " + target;
		}
		if (ex instanceof PortUnreachableException) {
			return "port unreachable: nothing listens on " + target;
		}
		if (ex instanceof SocketTimeoutException) {
			return "timed out: no reply from " + target + " within " + options.timeout.toMillis() + " ms";
		}
		if (ex instanceof EOFException) {
			return target + " closed the connection before replying";
		}
		return target + ": " + ex.getMessage();
	}

}
