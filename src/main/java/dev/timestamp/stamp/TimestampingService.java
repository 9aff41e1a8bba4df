package dev.timestamp.stamp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;

/**
 * Builds the reply to one request: {@code [<timestamp>] } followed by the request's
 * bytes, copied verbatim. The same instance serves TCP and UDP; transports add their own
 * framing.
 */
public class TimestampingService {

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
