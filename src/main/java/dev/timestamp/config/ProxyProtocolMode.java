package dev.timestamp.config;

/**
 * Whether TCP connections may, or must, start with a PROXY protocol header (v1 or v2)
 * that declares the client's real address.
 */
public enum ProxyProtocolMode {

	/** Headers are not interpreted: their bytes are request data. */
	OFF,

	/** A connection from a trusted source may start with a header. */
	OPTIONAL,

	/** A connection from a trusted source must start with a header. */
	REQUIRED

}
