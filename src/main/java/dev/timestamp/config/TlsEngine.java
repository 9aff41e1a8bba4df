package dev.timestamp.config;

/**
 * Which TLS engine the TLS listener uses.
 */
public enum TlsEngine {

	/** BoringSSL where it is available (Linux x86-64 and AArch64), else the JDK's. */
	AUTO,

	/** BoringSSL (netty-tcnative); the start-up fails where it is not available. */
	OPENSSL,

	/**
	 * The JDK's: slower handshakes, but it keeps sending after a TLS 1.3 client's
	 * close_notify, so an unterminated last request is answered.
	 */
	JDK

}
