package dev.timestamp.stamp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TimestampingServiceTests {

	private static final Instant NOV_5 = Instant.parse("2026-11-05T09:03:07.123Z");

	@Test
	void padsASingleDigitDayWithASpaceLikeCtime() {
		assertThat(stamp(TimestampFormat.CTIME, ZoneOffset.UTC, NOV_5, "x")).isEqualTo("[Thu Nov  5 09:03:07 2026] x");
	}

	@Test
	void writesTwoDigitDaysUnpadded() {
		Instant nov25 = Instant.parse("2026-11-25T22:00:40Z");
		assertThat(stamp(TimestampFormat.CTIME, ZoneOffset.UTC, nov25, "x")).isEqualTo("[Wed Nov 25 22:00:40 2026] x");
	}

	@Test
	void formatsInTheConfiguredZone() {
		assertThat(stamp(TimestampFormat.CTIME, ZoneId.of("Asia/Tokyo"), NOV_5, "x"))
			.isEqualTo("[Thu Nov  5 18:03:07 2026] x");
		assertThat(stamp(TimestampFormat.CTIME, ZoneId.of("America/Los_Angeles"), NOV_5, "x"))
			.isEqualTo("[Thu Nov  5 01:03:07 2026] x");
	}

	@Test
	void usesEnglishNamesWhateverTheDefaultLocale() {
		Locale previous = Locale.getDefault();
		Locale.setDefault(Locale.GERMANY);
		try {
			assertThat(stamp(TimestampFormat.of("ctime"), ZoneOffset.UTC, NOV_5, ""))
				.isEqualTo("[Thu Nov  5 09:03:07 2026] ");
		}
		finally {
			Locale.setDefault(previous);
		}
	}

	@Test
	void formatsIso8601WithOffsetAndMilliseconds() {
		assertThat(stamp(TimestampFormat.of("iso-8601"), ZoneId.of("Asia/Tokyo"), NOV_5, "x"))
			.isEqualTo("[2026-11-05T18:03:07.123+09:00] x");
	}

	@Test
	void formatsRfc1123() {
		assertThat(stamp(TimestampFormat.of("rfc-1123"), ZoneOffset.UTC, NOV_5, "x"))
			.isEqualTo("[Thu, 5 Nov 2026 09:03:07 GMT] x");
	}

	@Test
	void formatsEpochMillis() {
		assertThat(stamp(TimestampFormat.of("epoch-millis"), ZoneOffset.UTC, NOV_5, "x"))
			.isEqualTo("[" + NOV_5.toEpochMilli() + "] x");
	}

	@Test
	void formatsACustomPattern() {
		assertThat(stamp(TimestampFormat.of("yyyy/MM/dd HH.mm"), ZoneOffset.UTC, NOV_5, "x"))
			.isEqualTo("[2026/11/05 09.03] x");
	}

	@Test
	void rejectsAnInvalidPattern() {
		assertThatIllegalArgumentException().isThrownBy(() -> TimestampFormat.of("yyyy-MM-dd {{"));
		assertThatIllegalArgumentException().isThrownBy(() -> TimestampFormat.of("   "));
	}

	@Test
	void copiesEveryByteOfTheRequestVerbatim() {
		byte[] all = new byte[256];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}
		TimestampingService service = new TimestampingService(Clock.fixed(NOV_5, ZoneOffset.UTC), TimestampFormat.CTIME,
				ZoneOffset.UTC);
		byte[] reply = service.stamp(all);
		assertThat(Arrays.copyOfRange(reply, 27, reply.length)).isEqualTo(all);
	}

	@Test
	void followsTheClockAcrossSeconds() {
		MutableClock clock = new MutableClock(NOV_5);
		TimestampingService service = new TimestampingService(clock, TimestampFormat.CTIME, ZoneOffset.UTC);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[Thu Nov  5 09:03:07 2026] ");
		clock.now = NOV_5.plusMillis(876);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[Thu Nov  5 09:03:07 2026] ");
		clock.now = NOV_5.plusMillis(877);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[Thu Nov  5 09:03:08 2026] ");
	}

	@Test
	void followsTheClockWhenItStepsBack() {
		MutableClock clock = new MutableClock(NOV_5);
		TimestampingService service = new TimestampingService(clock, TimestampFormat.CTIME, ZoneOffset.UTC);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[Thu Nov  5 09:03:07 2026] ");
		clock.now = NOV_5.minusMillis(124);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[Thu Nov  5 09:03:06 2026] ");
	}

	@Test
	void followsTheClockAcrossMillisecondsWhenTheFormatShowsThem() {
		MutableClock clock = new MutableClock(NOV_5);
		TimestampingService service = new TimestampingService(clock, TimestampFormat.of("iso-8601"), ZoneOffset.UTC);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[2026-11-05T09:03:07.123Z] ");
		clock.now = NOV_5.plusMillis(1);
		assertThat(text(service.stamp(new byte[0]))).isEqualTo("[2026-11-05T09:03:07.124Z] ");
	}

	private static String stamp(TimestampFormat format, ZoneId zone, Instant now, String request) {
		TimestampingService service = new TimestampingService(Clock.fixed(now, ZoneOffset.UTC), format, zone);
		return text(service.stamp(request.getBytes(StandardCharsets.UTF_8)));
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
