package dev.timestamp.stamp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;

/**
 * Builds the reply to one request: {@code [<timestamp>] } followed by the request's
 * bytes, copied verbatim. The same instance serves TCP and UDP; transports add their own
 * framing. It also answers the internet's own time protocols from the same clock: RFC 868
 * Time and RFC 867 Daytime.
 */
public class TimestampingService {

	/** Seconds from RFC 868's epoch, 1900-01-01T00:00Z, to the Unix epoch. */
	public static final long SECONDS_FROM_1900_TO_1970 = 2_208_988_800L;

	private final Clock clock;

	private final TimestampFormat format;

	private final ZoneId zone;

	/** The prefix for the current clock interval, shared by every request in it. */
	private volatile Prefix current = new Prefix(0, 0, new byte[0]);

	public TimestampingService(Clock clock, TimestampFormat format, ZoneId zone) {
		this.clock = clock;
		this.format = format;
		this.zone = zone;
	}

	public byte[] stamp(byte[] request) {
		byte[] prefix = prefix(this.clock.millis());
		byte[] reply = new byte[prefix.length + request.length];
		System.arraycopy(prefix, 0, reply, 0, prefix.length);
		System.arraycopy(request, 0, reply, prefix.length, request.length);
		return reply;
	}

	/**
	 * RFC 868 Time, now: the seconds since 1900-01-01T00:00Z as 32 bits, big-endian
	 * ({@link #rfc868(long)}).
	 */
	public byte[] rfc868() {
		return rfc868(this.clock.millis());
	}

	/** RFC 867 Daytime, now: one line in the configured format and zone, then CRLF. */
	public byte[] daytime() {
		return (this.format.format(this.clock.millis(), this.zone) + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * RFC 868 Time at {@code epochMillis}. The count passes 2^32 on 2036-02-07T06:28:16Z
	 * and is sent modulo 2^32 from then on (0 at that second), as the protocol's 32 bits
	 * allow; clients that know the era read it right.
	 */
	static byte[] rfc868(long epochMillis) {
		long seconds = Math.floorDiv(epochMillis, 1000) + SECONDS_FROM_1900_TO_1970;
		int wrapped = (int) seconds;
		return new byte[] { (byte) (wrapped >>> 24), (byte) (wrapped >>> 16), (byte) (wrapped >>> 8), (byte) wrapped };
	}

	private byte[] prefix(long millis) {
		Prefix cached = this.current;
		// Two comparisons per request; the division happens once per interval.
		if (millis >= cached.from && millis < cached.until) {
			return cached.bytes;
		}
		long resolution = this.format.resolutionMillis();
		long from = Math.floorDiv(millis, resolution) * resolution;
		byte[] bytes = ("[" + this.format.format(millis, this.zone) + "] ").getBytes(StandardCharsets.UTF_8);
		this.current = new Prefix(from, from + resolution, bytes);
		return bytes;
	}

	/** The prefix for the clock interval [from, until). */
	private record Prefix(long from, long until, byte[] bytes) {
	}

}
