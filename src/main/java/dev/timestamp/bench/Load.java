package dev.timestamp.bench;

/**
 * A running load: connects, keeps requests in flight until told to stop, then drains.
 */
interface Load {

	/** Opens the connections and starts sending; connect failures are counted, not thrown. */
	void start() throws InterruptedException;

	/** Connections (or sockets) that are open and sending. */
	int open();

	/**
	 * Stops sending, waits up to the timeout for the replies still in flight, counts the
	 * rest as timed out (TCP) or lost (UDP), and closes everything.
	 */
	void stop() throws InterruptedException;

}
