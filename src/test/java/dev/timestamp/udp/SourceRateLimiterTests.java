package dev.timestamp.udp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit's arithmetic, on a clock the test moves (the socket path is covered by
 * {@link UdpRateLimitIntegrationTests}).
 */
class SourceRateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	private static final InetAddress A = address("192.0.2.1");

	private static final InetAddress B = address("192.0.2.2");

	@Test
	void allowsTheBurstAtOnceThenNothingUntilTimePasses() {
		SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 100);
		assertThat(answered(limiter, A, 0, 20)).isEqualTo(5);
		assertThat(limiter.tryAcquire(A, SECOND / 10 - 1)).isFalse();
		assertThat(limiter.tryAcquire(A, SECOND / 10)).isTrue();
	}

	@Test
	void settlesAtTheRateUnderASteadyFlood() {
		SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 100);
		int answered = 0;
		// 1000 datagrams a second for 10 seconds
		for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) {
			answered += limiter.tryAcquire(A, t) ? 1 : 0;
		}
		assertThat(answered).isEqualTo(5 + 10 * 10 - 1);
	}

	@Test
	void aQuietSourceGetsItsWholeBurstBack() {
		SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 100);
		answered(limiter, A, 0, 5);
		assertThat(answered(limiter, A, SECOND / 2, 20)).isEqualTo(5);
	}

	@Test
	void limitsEachSourceOnItsOwn() {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 2, 100);
		assertThat(answered(limiter, A, 0, 10)).isEqualTo(2);
		assertThat(answered(limiter, B, 0, 10)).isEqualTo(2);
	}

	@Test
	void countsAnIpv6Slash64AsOneSource() {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 2, 100);
		assertThat(limiter.tryAcquire(address("2001:db8:1:2::1"), 0)).isTrue();
		assertThat(limiter.tryAcquire(address("2001:db8:1:2:ffff::9"), 0)).isTrue();
		assertThat(limiter.tryAcquire(address("2001:db8:1:2::77"), 0)).isFalse();
		assertThat(limiter.tryAcquire(address("2001:db8:1:3::1"), 0)).isTrue();
	}

	@Test
	void tracksNoMoreSourcesThanAllowed() {
		SourceRateLimiter limiter = new SourceRateLimiter(1000, 1, 64);
		for (int i = 0; i < 10_000; i++) {
			limiter.tryAcquire(address(i), i * SECOND);
		}
		assertThat(limiter.trackedSources()).isEqualTo(64);
	}

	@Test
	void aFloodOfSpoofedSourcesSharesOneBucketAndCannotResetALimitedSource() {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 3, 16);
		// the victim's address is used up
		assertThat(answered(limiter, A, 0, 10)).isEqualTo(3);
		int spoofedAnswered = 0;
		for (int i = 0; i < 10_000; i++) {
			spoofedAnswered += limiter.tryAcquire(address(i), 0) ? 1 : 0;
		}
		// the first 15 fill the table; the rest share one overflow bucket with a burst of
		// 3
		assertThat(spoofedAnswered).isEqualTo(15 + 3);
		assertThat(limiter.tryAcquire(A, 0)).isFalse();
		assertThat(limiter.trackedSources()).isEqualTo(16);
	}

	@Test
	void makesRoomByForgettingASourceThatHasRefilled() {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 2);
		assertThat(limiter.tryAcquire(A, 0)).isTrue();
		assertThat(limiter.tryAcquire(B, 0)).isTrue();
		// A and B are both still limited: a third source gets the overflow bucket
		assertThat(limiter.tryAcquire(address(7), 0)).isTrue();
		assertThat(limiter.tryAcquire(address(8), 0)).isFalse();
		// a second later A has refilled, so it makes room for a new source
		assertThat(limiter.tryAcquire(address(8), SECOND)).isTrue();
		assertThat(limiter.trackedSources()).isEqualTo(2);
	}

	@Test
	void oneSourceReadOnSeveralThreadsAtOnceStillGetsOneBurst() throws Exception {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 1000, 10_000, 4);
		AtomicInteger answered = new AtomicInteger();
		CyclicBarrier start = new CyclicBarrier(4);
		ExecutorService readers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int r = 0; r < 4; r++) {
				done.add(readers.submit(() -> {
					start.await();
					answered.addAndGet(answered(limiter, A, 0, 10_000));
					return null;
				}));
			}
			for (Future<?> reader : done) {
				reader.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			readers.shutdownNow();
		}
		assertThat(answered).hasValue(1000);
	}

	@Test
	void stripesTogetherTrackAtMostMaxSources() {
		SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 64, 4);
		for (int n = 0; n < 1000; n++) {
			limiter.tryAcquire(address(n), 0);
		}
		assertThat(limiter.trackedSources()).isLessThanOrEqualTo(64).isGreaterThan(0);
	}

	private static int answered(SourceRateLimiter limiter, InetAddress source, long now, int datagrams) {
		int answered = 0;
		for (int i = 0; i < datagrams; i++) {
			answered += limiter.tryAcquire(source, now) ? 1 : 0;
		}
		return answered;
	}

	private static InetAddress address(int n) {
		try {
			return InetAddress.getByAddress(new byte[] { 10, (byte) (n >> 16), (byte) (n >> 8), (byte) n });
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
