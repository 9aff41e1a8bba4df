package dev.timestamp.udp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-source-address rate limit for UDP (the amplification guard): each source may send
 * {@code burst} datagrams at once, then {@code ratePerSecond} on average. Not
 * thread-safe: one instance is used by the one event loop that reads the socket.
 * <p>
 * Each source is a GCRA bucket (one {@code long}, its theoretical arrival time). IPv6
 * sources are tracked per /64, since one host usually holds a whole /64. At most
 * {@code maxSources} sources are tracked. A source that has been quiet long enough to
 * refill its bucket carries no information, so the least recently seen one is forgotten
 * to make room; when even that one is still limited, every source not in the table shares
 * one overflow bucket. A flood of spoofed addresses therefore gets the rate of one
 * source, and can never reset the bucket of an address it is limited on.
 */
public final class SourceRateLimiter {

	private final long intervalNanos;

	/** How far ahead of now a bucket's arrival time may run: the burst. */
	private final long toleranceNanos;

	private final int maxSources;

	private final LinkedHashMap<Long, Bucket> buckets;

	private final Bucket overflow = new Bucket(Long.MIN_VALUE);

	public SourceRateLimiter(int ratePerSecond, int burst, int maxSources) {
		this.intervalNanos = Math.max(1, 1_000_000_000L / ratePerSecond);
		this.toleranceNanos = this.intervalNanos * burst;
		this.maxSources = maxSources;
		// access order: the eldest entry is the source seen least recently
		this.buckets = new LinkedHashMap<>(Math.min(maxSources, 1024), 0.75f, true);
	}

	/**
	 * Whether a datagram from {@code source} arriving at {@code nowNanos} may be
	 * answered.
	 */
	public boolean tryAcquire(InetAddress source, long nowNanos) {
		Long key = key(source);
		Bucket bucket = this.buckets.get(key);
		if (bucket == null) {
			bucket = admit(key, nowNanos);
		}
		return bucket.tryAcquire(nowNanos, this.intervalNanos, this.toleranceNanos);
	}

	/** Sources tracked right now (at most {@code maxSources}). */
	public int trackedSources() {
		return this.buckets.size();
	}

	private Bucket admit(Long key, long nowNanos) {
		if (this.buckets.size() >= this.maxSources) {
			Iterator<Map.Entry<Long, Bucket>> eldest = this.buckets.entrySet().iterator();
			if (!eldest.next().getValue().isFull(nowNanos)) {
				return this.overflow;
			}
			eldest.remove();
		}
		Bucket bucket = new Bucket(nowNanos);
		this.buckets.put(key, bucket);
		return bucket;
	}

	/**
	 * IPv4 addresses and IPv6 /64 prefixes as distinct longs (IPv6 never starts with
	 * 0xffffffff).
	 */
	static long key(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			return 0xffff_ffff_0000_0000L | (toLong(bytes, 0, 4) & 0xffff_ffffL);
		}
		return toLong(bytes, 0, 8);
	}

	private static long toLong(byte[] bytes, int from, int length) {
		long value = 0;
		for (int i = from; i < from + length; i++) {
			value = (value << 8) | (bytes[i] & 0xff);
		}
		return value;
	}

	private static final class Bucket {

		/** GCRA's theoretical arrival time; at or before now means the bucket is full. */
		private long arrival;

		Bucket(long arrival) {
			this.arrival = arrival;
		}

		boolean tryAcquire(long now, long interval, long tolerance) {
			long next = Math.max(this.arrival, now) + interval;
			if (next - now > tolerance) {
				return false;
			}
			this.arrival = next;
			return true;
		}

		boolean isFull(long now) {
			return this.arrival - now <= 0;
		}

	}

}
