package dev.timestamp.udp;

import java.util.Locale;

/**
 * Why a UDP datagram got no reply.
 */
public enum DropReason {

	/**
	 * Larger than {@code timestamp.udp.max-datagram-bytes}, or with a reply larger than a
	 * UDP datagram can carry.
	 */
	TOO_LARGE,

	/** The reply could not be sent (or the socket reported an error). */
	SEND_FAILED,

	/**
	 * The socket already held 1 MiB of replies the kernel had not taken: the network
	 * carries replies more slowly than requests arrive.
	 */
	SEND_QUEUE_FULL,

	/** The sender's address exceeded its rate limit. */
	RATE_LIMITED,

	/**
	 * The sender's port is below 1024: answering could start a loop with another UDP
	 * service.
	 */
	PRIVILEGED_SOURCE_PORT,

	/**
	 * Sent to a local address that has no socket of its own, with
	 * {@code timestamp.udp.max-address-sockets} open already: the reply would leave from
	 * another address.
	 */
	ADDRESS_SOCKETS,

	/**
	 * Time and Daytime: not answered while the clock is not trusted
	 * ({@code timestamp.clock.readiness}), as RFC 868 asks.
	 */
	CLOCK_UNSYNCHRONIZED;

	/** The metric tag value, e.g. {@code too_large}. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
