package dev.timestamp.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;

import javax.net.ssl.SSLException;

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
		if (ex instanceof SSLException) {
			return target + ": " + tls(ex);
		}
		return target + ": " + ex.getMessage();
	}

	/** The two TLS failures a user can mend from here, said so; others as they come. */
	private static String tls(IOException ex) {
		if (String.valueOf(ex.getMessage()).contains("Unsupported or unrecognized SSL message")) {
			return "does not speak TLS: is it the plain TCP port? (the TLS listener's default is 21568)";
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CertPathBuilderException) {
				return "the server's certificate is not signed by an authority this client trusts: give the"
						+ " authority's certificate with --ca FILE (or skip the check with --insecure, for tests)";
			}
		}
		return String.valueOf(ex.getMessage());
	}

	/**
	 * What to add when a connection ended before any reply: a TLS listener closes a
	 * plaintext connection so.
	 */
	static String closedWithoutReplying(boolean tls) {
		return tls ? "it closed the connection without replying"
				: "it closed the connection without replying (a TLS port does so to plaintext: add --tls)";
	}

}
