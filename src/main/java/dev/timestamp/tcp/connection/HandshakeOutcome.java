package dev.timestamp.tcp.connection;

import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/** How a handshake ended, the {@code outcome} tag of the handshake counter. */
public enum HandshakeOutcome {

	/** A session was established. */
	OK,

	/** The client did not speak TLS (plaintext on the TLS port). */
	NOT_TLS,

	/** No protocol version or cipher in common (TLS 1.1 and older are refused). */
	PROTOCOL,

	/** A certificate was missing or not trusted (the client's, under mutual TLS). */
	CERTIFICATE,

	/** Not complete within {@code timestamp.tls.handshake-timeout}. */
	TIMEOUT,

	/** The client closed the connection during the handshake. */
	CLOSED,

	/** Any other failure. */
	FAILED;

	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static HandshakeOutcome of(Throwable cause) {
		if (cause instanceof NotSslRecordException) {
			return NOT_TLS;
		}
		if (cause instanceof SslHandshakeTimeoutException) {
			return TIMEOUT;
		}
		if (cause instanceof ClosedChannelException) {
			return CLOSED;
		}
		String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("certificate") || message.contains("certpath") || message.contains("unknown_ca")) {
			return CERTIFICATE;
		}
		if (message.contains("protocol") || message.contains("version") || message.contains("cipher")) {
			return PROTOCOL;
		}
		return FAILED;
	}

}
