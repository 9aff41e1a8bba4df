package dev.timestamp.clock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How a {@code struct timex} and the state {@code adjtimex} returns are read.
 */
class KernelClockTests {

	@Test
	void anUnsynchronizedClockIsNotSynchronized() {
		KernelClock.Reading reading = KernelClock.Reading.of(KernelClock.TIME_ERROR,
				timex(KernelClock.STA_UNSYNC, 0, 16_000_000, 16_000_000));
		assertThat(reading.synchronised()).isFalse();
		assertThat(reading.maxErrorSeconds()).isEqualTo(16.0);
	}

	@Test
	void theStatusBitAloneMakesAClockUnsynchronized() {
		assertThat(KernelClock.Reading.of(0, timex(KernelClock.STA_UNSYNC, 0, 0, 0)).synchronised()).isFalse();
		assertThat(KernelClock.Reading.of(KernelClock.TIME_ERROR, timex(0, 0, 0, 0)).synchronised()).isFalse();
	}

	@Test
	void aDisciplinedClockIsSynchronizedWithItsErrorsInSeconds() {
		KernelClock.Reading reading = KernelClock.Reading.of(0, timex(0, -250, 1_500, 40));
		assertThat(reading.synchronised()).isTrue();
		assertThat(reading.offsetSeconds()).isCloseTo(-250e-6, within(1e-12));
		assertThat(reading.maxErrorSeconds()).isCloseTo(1_500e-6, within(1e-12));
		assertThat(reading.estimatedErrorSeconds()).isCloseTo(40e-6, within(1e-12));
		assertThat(reading.leap()).isZero();
	}

	@Test
	void theOffsetIsInNanosecondsWhenTheKernelSaysSo() {
		assertThat(KernelClock.Reading.of(0, timex(KernelClock.STA_NANO, 1_234, 0, 0)).offsetSeconds())
			.isCloseTo(1_234e-9, within(1e-15));
	}

	@Test
	void theLeapStateComesFromTheReturnedState() {
		assertThat(KernelClock.Reading.of(KernelClock.TIME_INS, timex(0, 0, 0, 0)).leap()).isEqualTo(1);
		assertThat(KernelClock.Reading.of(KernelClock.TIME_DEL, timex(0, 0, 0, 0)).leap()).isEqualTo(2);
		assertThat(KernelClock.Reading.of(KernelClock.TIME_OOP, timex(0, 0, 0, 0)).leap()).isEqualTo(3);
	}

	/** A 64-bit Linux {@code struct timex} with these fields set. */
	private static ByteBuffer timex(int status, long offset, long maxError, long estimatedError) {
		ByteBuffer timex = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
		timex.putLong(8, offset);
		timex.putLong(24, maxError);
		timex.putLong(32, estimatedError);
		timex.putInt(40, status);
		return timex;
	}

}
