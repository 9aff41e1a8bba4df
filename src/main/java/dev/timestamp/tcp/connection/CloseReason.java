package dev.timestamp.tcp.connection;

import java.util.Locale;

/**
 * Why a TCP connection ended. The first reason recorded for a connection wins.
 */
public enum CloseReason {

	/** The client closed or reset the connection. */
	CLIENT,

	/** No complete request within {@code timestamp.tcp.idle-timeout}. */
	IDLE,

	/** A request exceeded {@code timestamp.tcp.max-frame-bytes}. */
	FRAME_TOO_LARGE,

	/** Over {@code timestamp.tcp.max-connections}: closed on accept. */
	LIMIT,

	/** Over {@code timestamp.tcp.max-connections-per-source}: closed on accept. */
	PER_SOURCE,

	/**
	 * A missing, malformed, late or untrusted PROXY header
	 * ({@code timestamp.tcp.proxy-protocol.*}).
	 */
	PROXY_PROTOCOL,

	/** Drained at {@code timestamp.tcp.max-connection-age}. */
	MAX_AGE,

	/** TLS listener: the handshake failed or timed out. */
	TLS_HANDSHAKE,

	/**
	 * TLS listener: after the handshake, a record the engine refused (a bad record MAC, a
	 * renegotiation); the engine sends its alert and closes.
	 */
	TLS_ERROR,

	/**
	 * Direct memory was short ({@code timestamp.tcp.memory-pressure-percent}) and the
	 * connection held more than its share: replies its client did not read, or an
	 * unfinished request.
	 */
	MEMORY,

	/** A malformed frame or an unexpected failure. */
	ERROR,

	/** Time and Daytime: the one reply was sent, and the server closed. */
	ANSWERED,

	/**
	 * Time and Daytime: closed without a reply while the clock is not trusted
	 * ({@code timestamp.clock.readiness}), as RFC 868 asks.
	 */
	CLOCK_UNSYNCHRONIZED,

	/** The server is stopping. */
	SHUTDOWN;

	/** The metric tag value, e.g. {@code frame_too_large}. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a listener can end connections for this reason: the TLS listener alone for
	 * TLS failures, a listener that answers on connect (which reads no frame) alone for
	 * its answer and its clock.
	 */
	boolean appliesTo(boolean tls, boolean answersOnConnect) {
		return switch (this) {
			case TLS_HANDSHAKE, TLS_ERROR -> tls;
			case ANSWERED, CLOCK_UNSYNCHRONIZED -> answersOnConnect;
			case FRAME_TOO_LARGE -> !answersOnConnect;
			default -> true;
		};
	}

}
