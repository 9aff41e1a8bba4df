package dev.timestamp.tcp.memory;

import dev.timestamp.framing.Framing;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadBufferSizes}: how large a connection's reads are, by framing and frame
 * limit.
 */
class ReadBufferSizesTests {

	private static final int MEGABYTES_16 = 16 * 1024 * 1024;

	@Test
	void readsUpToTheFrameLimitAtEveryReadInRawFramingUpTo64KiB() {
		assertThat(firstGuess(Framing.RAW, 100)).isEqualTo(100);
		assertThat(firstGuess(Framing.RAW, 65536)).isEqualTo(65536);
	}

	@Test
	void startsAt64KiBUnderALargerRawFrameLimitInsteadOfAllocatingTheLimitForEveryRead() {
		assertThat(firstGuess(Framing.RAW, MEGABYTES_16)).isEqualTo(65536);
	}

	@Test
	void growsTowardsALargerRawFrameLimitWhileReadsComeBackFullAndNeverPastIt() {
		RecvByteBufAllocator.Handle handle = ReadBufferSizes.of(Framing.RAW, MEGABYTES_16).newHandle();
		EmbeddedChannel channel = new EmbeddedChannel();
		int guess = 0;
		for (int read = 0; read < 40; read++) {
			handle.reset(channel.config());
			guess = handle.guess();
			assertThat(guess).isLessThanOrEqualTo(MEGABYTES_16);
			handle.attemptedBytesRead(guess);
			handle.lastBytesRead(guess);
			handle.readComplete();
		}
		assertThat(guess).isEqualTo(MEGABYTES_16);
	}

	@Test
	void startsSmallInTheOtherFramings() {
		assertThat(firstGuess(Framing.LINE, MEGABYTES_16)).isEqualTo(2048);
	}

	@Test
	void keepsTheIoUringGuardWhenAConnectionTurnsRaw() {
		EmbeddedChannel channel = new EmbeddedChannel();
		IoUringReadBuffers.guard(channel);
		ReadBufferSizes.turnRaw(channel, MEGABYTES_16);
		RecvByteBufAllocator reads = channel.config().getRecvByteBufAllocator();
		assertThat(reads).isInstanceOf(IoUringReadBuffers.class);
		RecvByteBufAllocator.Handle handle = reads.newHandle();
		handle.reset(channel.config());
		assertThat(handle.guess()).isEqualTo(65536);
	}

	private static int firstGuess(Framing framing, int maxFrameBytes) {
		RecvByteBufAllocator.Handle handle = ReadBufferSizes.of(framing, maxFrameBytes).newHandle();
		handle.reset(new EmbeddedChannel().config());
		return handle.guess();
	}

}
