package dev.timestamp.clock;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;

import dev.timestamp.stamp.TimestampFormat;

/**
 * What the time protocols answer, from the service's clock.
 *
 * @param clock the clock the timestamps use
 * @param format the layout of the Daytime line ({@code timestamp.format})
 * @param zone the zone of the Daytime line ({@code timestamp.zone})
 */
public record TimeReplies(Clock clock, TimestampFormat format, ZoneId zone) {

	/** Seconds from RFC 868's epoch, 1900-01-01T00:00Z, to the Unix epoch. */
	static final long SECONDS_FROM_1900_TO_1970 = 2_208_988_800L;

	/** RFC 868 Time, now. */
	public byte[] time() {
		return time(this.clock.millis());
	}

	/** RFC 867 Daytime, now: one line in the configured format and zone, then CRLF. */
	public byte[] daytime() {
		return (this.format.format(this.clock.millis(), this.zone) + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * RFC 868 Time: the seconds since 1900-01-01T00:00Z as 32 bits, big-endian. The count
	 * passes 2^32 on 2036-02-07T06:28:16Z and is sent modulo 2^32 from then on (0 at that
	 * second), as the protocol's 32 bits allow; clients that know the era read it right.
	 */
	static byte[] time(long epochMillis) {
		long seconds = Math.floorDiv(epochMillis, 1000) + SECONDS_FROM_1900_TO_1970;
		int wrapped = (int) seconds;
		return new byte[] { (byte) (wrapped >>> 24), (byte) (wrapped >>> 16), (byte) (wrapped >>> 8), (byte) wrapped };
	}

}
