package dev.timestamp.framing;

/**
 * Why a byte stream could not be split into requests. Either ends the connection after an
 * error reply.
 */
public enum FrameError {

	/** A request longer than {@code timestamp.tcp.max-frame-bytes}. */
	TOO_LARGE,

	/**
	 * Bytes that are not a frame of the configured mode (a negative length, no STX, a
	 * truncated frame).
	 */
	MALFORMED

}
