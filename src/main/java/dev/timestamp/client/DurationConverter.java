package dev.timestamp.client;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;

import org.springframework.boot.convert.DurationStyle;

/**
 * {@code 2} (seconds), {@code 500ms}, {@code 2s}, {@code 1m}.
 */
public class DurationConverter implements ITypeConverter<Duration> {

	@Override
	public Duration convert(String value) {
		Duration duration = value.matches("\\d+(\\.\\d+)?")
				? Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)) : DurationStyle.SIMPLE.parse(value);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("must be positive: " + value);
		}
		return duration;
	}

}
