package dev.timestamp.framing;

/**
 * Receives what a {@link FrameDecoder} finds, in stream order.
 */
public interface FrameSink {

	/** One complete request payload, terminator removed. */
	void frame(byte[] payload);

	/** The stream cannot be decoded further; no frame follows. */
	void error(FrameError error);

	/**
	 * Whether the sink wants no more frames for now; the decoder then stops, leaving the
	 * rest of its input unconsumed, until {@code decode} is called again.
	 */
	default boolean isPaused() {
		return false;
	}

}
