package dev.timestamp.tcp.admission;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.tcp.connection.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A listener's caps on open connections, shared by its event loops: in all
 * ({@code max-connections}, lowered to what file descriptors allow) and per source
 * address ({@code max-connections-per-source}; IPv6 sources grouped by /64, since one
 * host commonly holds a whole /64). The descriptors themselves are shared with the other
 * listeners ({@link DescriptorBudget}).
 */
public final class ConnectionLimits {

	/** The transport's log, where the listener's start-up lines are. */
	private static final Log log = LogFactory.getLog("dev.timestamp.tcp");

	/**
	 * Shed connections whose closes may be pending at once, beyond what the descriptors
	 * allow, out of the descriptors kept back for the HTTP port
	 * ({@link DescriptorBudget#RESERVE}); past that, accepting pauses.
	 */
	public static final int CLOSES_PENDING_ALLOWED = DescriptorBudget.RESERVE / 4;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger admitted = new AtomicInteger();

	private final ChannelFutureListener releasePlace = (closed) -> releasePlaces();

	private final Map<SourceKey, Integer> perSource = new ConcurrentHashMap<>();

	private final int maxPerSource;

	private volatile int allowed;

	/**
	 * The channels the file descriptors allow open at once, on every listener, admitted
	 * or not: one being shed holds its descriptor until its close completes (later, on
	 * io_uring).
	 */
	private final DescriptorBudget descriptors;

	private volatile boolean accepting = true;

	/** A listener's caps, with file descriptors of its own (for tests). */
	public ConnectionLimits(int allowed, int maxPerSource) {
		this(allowed, maxPerSource, new DescriptorBudget());
	}

	public ConnectionLimits(int allowed, int maxPerSource, DescriptorBudget descriptors) {
		this.allowed = allowed;
		this.maxPerSource = maxPerSource;
		this.descriptors = descriptors;
	}

	/**
	 * Lowers the cap in all to what the file-descriptor limit allows, at start, and says
	 * so at WARN when that is below {@code maxConnections}.
	 */
	public void limitToDescriptors(int maxConnections) {
		int descriptorsAllow = this.descriptors.measure();
		int connectionsAllowed = Math.min(maxConnections, descriptorsAllow);
		this.allowed = connectionsAllowed;
		if (connectionsAllowed < maxConnections) {
			log.warn("timestamp.tcp.max-connections=" + maxConnections + " exceeds what the file-descriptor limit ("
					+ DescriptorBudget.limit() + ") allows: at most " + connectionsAllowed
					+ " connections will be accepted, on every listener together, the rest closed on accept ("
					+ DescriptorBudget.RESERVE
					+ " descriptors stay reserved for the HTTP port). Raise the limit (ulimit -n) or lower the setting.");
		}
	}

	/**
	 * A channel was accepted; it counts against the cap until {@link #closed}. Returns
	 * the channels open now.
	 */
	public int opened() {
		this.descriptors.opened();
		return this.open.incrementAndGet();
	}

	/**
	 * A channel closed; returns the listener's connections still open. The watchers of
	 * every listener hear of it.
	 */
	public int closed() {
		int open = this.open.decrementAndGet();
		this.descriptors.closed();
		return open;
	}

	/** Runs {@code watcher} after each close on any listener. */
	public void watchCloses(Runnable watcher) {
		this.descriptors.watchCloses(watcher);
	}

	public int open() {
		return this.open.get();
	}

	/**
	 * Whether the channels open on every listener leave no descriptors to accept another
	 * with: accepting must wait for closes (asynchronous on io_uring) to catch up. On
	 * epoll a shed channel is closed before the next accept, so this holds only when the
	 * descriptors are gone.
	 */
	public boolean descriptorsExhausted() {
		return this.descriptors.open() >= (long) this.descriptors.allowed() + CLOSES_PENDING_ALLOWED;
	}

	public int allowed() {
		return this.allowed;
	}

	/**
	 * Sets the cap ({@code max-connections}, or less where the descriptors allow less)
	 * and what the descriptors allow open at once.
	 */
	public void allow(int allowed, int openAllowed) {
		this.allowed = allowed;
		this.descriptors.allow(openAllowed);
	}

	/** No connection is admitted any more (shutting down). */
	public void stopAccepting() {
		this.accepting = false;
	}

	public void startAccepting() {
		this.accepting = true;
	}

	/**
	 * Takes one of the {@code allowed} places for the channel, and one of those the
	 * descriptors allow on every listener, or says it is over the cap. The places are
	 * held until the channel closes. Places, not open channels, are counted: a channel
	 * still being shed, or on another event loop and not yet admitted, does not push a
	 * channel under the cap out. Only when the open channels, shed ones included, are
	 * more than the descriptors allow is a channel refused with places free.
	 */
	@Nullable CloseReason admitToCap(Channel channel) {
		if (!this.accepting || this.descriptors.open() > this.descriptors.allowed()) {
			return CloseReason.LIMIT;
		}
		if (this.admitted.incrementAndGet() > this.allowed) {
			this.admitted.decrementAndGet();
			return CloseReason.LIMIT;
		}
		if (!this.descriptors.takePlace()) {
			this.admitted.decrementAndGet();
			return CloseReason.LIMIT;
		}
		channel.closeFuture().addListener(this.releasePlace);
		return null;
	}

	private void releasePlaces() {
		this.admitted.decrementAndGet();
		this.descriptors.releasePlace();
	}

	/**
	 * Admits the channel, whose client is {@code source}, or says it is over the cap per
	 * source. An admitted channel holds its source's slot until it closes.
	 */
	@Nullable CloseReason admitFromSource(Channel channel, InetAddress source) {
		if (!this.accepting) {
			return CloseReason.LIMIT;
		}
		if (this.maxPerSource > 0) {
			SourceKey key = SourceKey.of(source);
			if (this.perSource.merge(key, 1, Integer::sum) > this.maxPerSource) {
				release(key);
				return CloseReason.PER_SOURCE;
			}
			channel.closeFuture().addListener((closed) -> release(key));
		}
		return null;
	}

	private void release(SourceKey key) {
		this.perSource.computeIfPresent(key, (k, count) -> (count == 1) ? null : count - 1);
	}

	/** Sources holding connections now (for tests and diagnostics). */
	public int sourcesTracked() {
		return this.perSource.size();
	}

	/**
	 * A source as the per-source cap counts it: an IPv4 address, or the /64 of an IPv6
	 * one. An IPv4-mapped IPv6 address is its IPv4 address.
	 */
	public record SourceKey(boolean ipv6, long bits) {

		static SourceKey of(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length == 4) {
				return new SourceKey(false, leading(bytes, 0, 4));
			}
			if (leading(bytes, 0, 10) == 0 && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
				return new SourceKey(false, leading(bytes, 12, 4));
			}
			return new SourceKey(true, leading(bytes, 0, 8));
		}

		private static long leading(byte[] bytes, int from, int count) {
			long bits = 0;
			for (int i = from; i < from + count; i++) {
				bits = (bits << 8) | (bytes[i] & 0xFF);
			}
			return bits;
		}

	}

}
