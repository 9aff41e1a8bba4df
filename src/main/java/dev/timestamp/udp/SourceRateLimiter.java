package dev.timestamp.udp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A per-source-address rate limit for UDP (the amplification guard): each source may send
 * {@code burst} datagrams at once, then {@code ratePerSecond} on average. Thread-safe:
 * with a socket per event loop, one source's datagrams land on several loops (the kernel
 * spreads by source port too), and its bucket must still be one.
 * <p>
 * Each source is a GCRA bucket (one {@code long}, its theoretical arrival time). IPv6
 * sources are tracked per /64, since one host usually holds a whole /64. At most
 * {@code maxSources} sources are tracked, in stripes that each hold a share and have a
 * lock of their own, so that loops rarely wait for one another. A source that has been
 * quiet long enough to refill its bucket carries no information, so the least recently
 * seen one of its stripe is forgotten to make room; when even that one is still limited,
 * every source not in the table shares one overflow bucket. A flood of spoofed addresses
 * therefore gets the rate of one source, and can never reset the bucket of an address it
 * is limited on.
 */
public final class SourceRateLimiter {

	private final long intervalNanos;

	/** How far ahead of now a bucket's arrival time may run: the burst. */
	private final long toleranceNanos;

	private final Stripe[] stripes;

	/** The overflow's arrival time, shared by every stripe. */
	private final AtomicLong overflow = new AtomicLong(Long.MIN_VALUE);

	/** One stripe: for a single reader, whose lock is then never contended. */
	public SourceRateLimiter(int ratePerSecond, int burst, int maxSources) {
		this(ratePerSecond, burst, maxSources, 1);
	}

	/** Stripes for {@code readers} threads calling at once. */
	public SourceRateLimiter(int ratePerSecond, int burst, int maxSources, int readers) {
		this.intervalNanos = Math.max(1, 1_000_000_000L / ratePerSecond);
		this.toleranceNanos = this.intervalNanos * burst;
		int count = (readers <= 1) ? 1 : Integer.highestOneBit(Math.max(1, Math.min(readers * 8, maxSources)));
		this.stripes = new Stripe[count];
		for (int i = 0; i < count; i++) {
			this.stripes[i] = new Stripe(Math.max(1, maxSources / count));
		}
	}

	/**
	 * Whether a datagram from {@code source} arriving at {@code nowNanos} may be
	 * answered.
	 */
	public boolean tryAcquire(InetAddress source, long nowNanos) {
		long key = key(source);
		Stripe stripe = this.stripes[(int) (mix(key) & (this.stripes.length - 1))];
		synchronized (stripe) {
			Bucket bucket = stripe.bucket(key, nowNanos);
			if (bucket != null) {
				return bucket.tryAcquire(nowNanos, this.intervalNanos, this.toleranceNanos);
			}
		}
		return tryAcquireOverflow(nowNanos);
	}

	private boolean tryAcquireOverflow(long now) {
		while (true) {
			long arrival = this.overflow.get();
			long next = Math.max(arrival, now) + this.intervalNanos;
			if (next - now > this.toleranceNanos) {
				return false;
			}
			if (this.overflow.compareAndSet(arrival, next)) {
				return true;
			}
		}
	}

	/** Sources tracked right now (at most {@code maxSources}). */
	public int trackedSources() {
		int tracked = 0;
		for (Stripe stripe : this.stripes) {
			tracked += stripe.size();
		}
		return tracked;
	}

	private static long mix(long key) {
		long mixed = key * 0x9E37_79B9_7F4A_7C15L;
		return mixed ^ (mixed >>> 32);
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

	/** A share of the table; its monitor guards it. */
	private static final class Stripe {

		private final int capacity;

		/** Access order: the eldest entry is the source seen least recently. */
		private final LinkedHashMap<Long, Bucket> buckets;

		private volatile int size;

		Stripe(int capacity) {
			this.capacity = capacity;
			this.buckets = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true);
		}

		/** The source's bucket, admitted if there is room; null for the overflow. */
		@Nullable Bucket bucket(long key, long now) {
			Bucket bucket = this.buckets.get(key);
			if (bucket != null) {
				return bucket;
			}
			if (this.buckets.size() >= this.capacity) {
				Iterator<Map.Entry<Long, Bucket>> eldest = this.buckets.entrySet().iterator();
				if (!eldest.next().getValue().isFull(now)) {
					return null;
				}
				eldest.remove();
			}
			bucket = new Bucket(now);
			this.buckets.put(key, bucket);
			this.size = this.buckets.size();
			return bucket;
		}

		int size() {
			return this.size;
		}

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
