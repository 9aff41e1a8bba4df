package dev.timestamp.stamp;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How the timestamp is written: one of the named layouts or a {@link DateTimeFormatter}
 * pattern. English names are used whatever the machine's locale, like C's
 * {@code ctime()}.
 */
public final class TimestampFormat {

	/** C {@code ctime()}: {@code Wed Nov  5 09:03:07 2026}, day of month space-padded. */
	public static final TimestampFormat CTIME = new TimestampFormat("ctime",
			DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.ENGLISH));

	/** ISO-8601 with offset and milliseconds: {@code 2026-11-05T09:03:07.123+01:00}. */
	public static final TimestampFormat ISO_8601 = new TimestampFormat("iso-8601",
			DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ENGLISH));

	/** RFC 1123, as in HTTP dates: {@code Wed, 5 Nov 2026 09:03:07 +0100}. */
	public static final TimestampFormat RFC_1123 = new TimestampFormat("rfc-1123",
			DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ENGLISH));

	/** Milliseconds since the epoch: {@code 1793869387123}. */
	public static final TimestampFormat EPOCH_MILLIS = new TimestampFormat("epoch-millis", null);

	private static final TimestampFormat[] NAMED = { CTIME, ISO_8601, RFC_1123, EPOCH_MILLIS };

	private final String name;

	private final @Nullable DateTimeFormatter formatter;

	private final long resolutionMillis;

	private TimestampFormat(String name, @Nullable DateTimeFormatter formatter) {
		this.name = name;
		this.formatter = formatter;
		this.resolutionMillis = (formatter == null || showsMilliseconds(formatter)) ? 1 : 1000;
	}

	/**
	 * Parses a configured format: a name ({@code ctime}, {@code iso-8601},
	 * {@code rfc-1123}, {@code epoch-millis}) or a {@link DateTimeFormatter} pattern.
	 * @throws IllegalArgumentException if the pattern is invalid or cannot format a zoned
	 * date-time
	 */
	public static TimestampFormat of(String spec) {
		for (TimestampFormat named : NAMED) {
			if (named.name.equalsIgnoreCase(spec.trim())) {
				return named;
			}
		}
		if (spec.isBlank()) {
			throw new IllegalArgumentException("a timestamp format must not be blank");
		}
		DateTimeFormatter formatter = DateTimeFormatter.ofPattern(spec, Locale.ENGLISH);
		// Fail now, not on the first request, if the pattern asks for fields a zoned
		// date-time does not have.
		formatter.format(Instant.EPOCH.atZone(ZoneOffset.UTC));
		return new TimestampFormat(spec, formatter);
	}

	/** The layout's name, or the pattern it was made from. */
	public String name() {
		return this.name;
	}

	/**
	 * The interval in milliseconds within which the formatted text cannot change: 1000
	 * when the layout shows whole seconds, so a caller may cache the text per second.
	 */
	public long resolutionMillis() {
		return this.resolutionMillis;
	}

	public String format(long epochMillis, ZoneId zone) {
		if (this.formatter == null) {
			return Long.toString(epochMillis);
		}
		return this.formatter.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
	}

	private static boolean showsMilliseconds(DateTimeFormatter formatter) {
		Instant second = Instant.ofEpochSecond(1_700_000_000L);
		return !formatter.format(second.atZone(ZoneOffset.UTC))
			.equals(formatter.format(second.plusMillis(999).atZone(ZoneOffset.UTC)));
	}

	@Override
	public String toString() {
		return this.name;
	}

}
