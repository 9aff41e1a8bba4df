package dev.timestamp.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * A running load: connects, keeps requests in flight until told to stop, then drains.
 */
abstract class Load {

	protected final BenchOptions options;

	protected final BenchStats stats;

	private final List<Channel> channels = new CopyOnWriteArrayList<>();

	/** Set when the load stops: no new requests are sent after it. */
	protected volatile boolean stopping;

	Load(BenchOptions options, BenchStats stats) {
		this.options = options;
		this.stats = stats;
	}

	/**
	 * Opens the connections and starts sending; connect failures are counted, not thrown.
	 */
	abstract void start() throws InterruptedException;

	/**
	 * Stops sending, waits up to the timeout for the replies still in flight, counts the
	 * rest as timed out (TCP) or lost (UDP), and closes everything.
	 */
	abstract void stop() throws InterruptedException;

	/**
	 * Whether the server answers: some connection is open (TCP), or a first reply arrived
	 * before an ICMP error or the timeout (UDP, where a socket "connects" to any port).
	 */
	boolean reachable() throws InterruptedException {
		return open() > 0;
	}

	/** Connections (or sockets) that are open. */
	final int open() {
		return (int) this.channels.stream().filter(Channel::isActive).count();
	}

	/** Waits for a connection attempt and keeps its channel, or counts the failure. */
	protected final void connected(ChannelFuture connect) throws InterruptedException {
		if (connect.await().isSuccess()) {
			this.channels.add(connect.channel());
		}
		else {
			this.stats.connectFailures.increment();
		}
	}

	/** Waits until nothing is in flight any more, or the deadline passes. */
	protected static void drain(BooleanSupplier inFlight, long timeoutNanos) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutNanos;
		while (inFlight.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

	protected final void closeAll() throws InterruptedException {
		for (Channel channel : this.channels) {
			channel.close().await(1, TimeUnit.SECONDS);
		}
	}

}
