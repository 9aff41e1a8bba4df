package dev.timestamp.config;

/**
 * Whether the TLS listener asks clients for certificates (mutual TLS), checked against
 * the bundle's trusted authorities.
 */
public enum TlsClientAuth {

	/** No client certificate is asked for. */
	NONE,

	/** A client certificate is asked for and verified when given, but not required. */
	WANT,

	/** A verified client certificate is required. */
	NEED

}
