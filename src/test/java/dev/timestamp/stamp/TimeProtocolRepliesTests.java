package dev.timestamp.stamp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service answers to RFC 868 Time and RFC 867 Daytime, on a fixed clock.
 */
class TimeProtocolRepliesTests {

	@Test
	void timeCountsTheSecondsSince1900InFourBigEndianBytes() {
		assertThat(seconds(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo(2_208_988_800L);
		assertThat(seconds(Instant.parse("2026-12-07T18:00:00.999Z"))).isEqualTo(2_208_988_800L + 1_796_666_400L);
	}

	@Test
	void timeWrapsAtTwoToTheThirtySecondOnTheSeventhOfFebruary2036() {
		assertThat(seconds(Instant.parse("2036-02-07T06:28:15Z"))).isEqualTo(0xFFFF_FFFFL);
		assertThat(seconds(Instant.parse("2036-02-07T06:28:16Z"))).isZero();
		assertThat(seconds(Instant.parse("2036-02-07T06:28:17Z"))).isEqualTo(1);
	}

	@Test
	void daytimeIsOneLineInTheConfiguredFormatAndZone() {
		Clock clock = Clock.fixed(Instant.parse("2026-11-05T09:03:07Z"), ZoneOffset.UTC);
		TimestampingService replies = new TimestampingService(clock, TimestampFormat.of("ctime"),
				ZoneId.of("Europe/Berlin"));
		assertThat(new String(replies.daytime(), StandardCharsets.UTF_8)).isEqualTo("Thu Nov  5 10:03:07 2026\r\n");
	}

	private static long seconds(Instant instant) {
		TimestampingService replies = new TimestampingService(Clock.fixed(instant, ZoneOffset.UTC),
				TimestampFormat.of("ctime"), ZoneOffset.UTC);
		byte[] time = replies.rfc868();
		assertThat(time).hasSize(4);
		return Integer.toUnsignedLong(ByteBuffer.wrap(time).getInt());
	}

}
