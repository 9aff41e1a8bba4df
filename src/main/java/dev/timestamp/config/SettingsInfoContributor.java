package dev.timestamp.config;

import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.timestamp.framing.Framing;

import org.springframework.beans.ConfigurablePropertyAccessor;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * {@code /actuator/info}'s {@code settings}: every {@code timestamp.*} setting in effect,
 * read from the bound {@link TimestampProperties} by the names the configuration metadata
 * lists, so that a new setting shows up here without being written down again.
 * <p>
 * Not Spring Boot's {@code /actuator/configprops}, which says the same of these settings:
 * it also lists every other bound property of the application, with values masked unless
 * configured otherwise, and an operator who wants the service's own settings at a glance
 * would have to dig for them. It stays unexposed; {@code info} is exposed already.
 */
@Component
class SettingsInfoContributor implements InfoContributor {

	private final TimestampProperties properties;

	SettingsInfoContributor(TimestampProperties properties) {
		this.properties = properties;
	}

	@Override
	public void contribute(Info.Builder builder) {
		builder.withDetail("settings", settings());
	}

	/** The settings as a tree: {@code tcp → max-frame-bytes → 65536}. */
	Map<String, Object> settings() {
		// The records' components, by field: they have accessors, not JavaBean getters.
		ConfigurablePropertyAccessor bound = PropertyAccessorFactory.forDirectFieldAccess(this.properties);
		Map<String, Object> tree = new LinkedHashMap<>();
		for (String name : SettingNames.all()) {
			String[] path = name.substring("timestamp.".length()).split("\\.");
			String propertyPath = Arrays.stream(path)
				.map(SettingsInfoContributor::camelCase)
				.collect(Collectors.joining("."));
			Map<String, Object> group = tree;
			for (int i = 0; i < path.length - 1; i++) {
				group = child(group, path[i]);
			}
			group.put(path[path.length - 1], shown(bound.getPropertyValue(propertyPath)));
		}
		return tree;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> child(Map<String, Object> group, String name) {
		return (Map<String, Object>) group.computeIfAbsent(name, (key) -> new LinkedHashMap<String, Object>());
	}

	/** As it is written in configuration: {@code 5m}, {@code line}, {@code 0.0.0.0}. */
	private static Object shown(Object value) {
		if (value instanceof Duration duration && duration.isZero()) {
			return "0s";
		}
		if (value instanceof Duration duration) {
			return DurationStyle.SIMPLE.print(duration, largestExactUnit(duration));
		}
		if (value instanceof InetAddress address) {
			return address.getHostAddress();
		}
		if (value instanceof ZoneId zone) {
			return zone.getId();
		}
		if (value instanceof Framing framing) {
			return framing.configName();
		}
		if (value instanceof DataSize size) {
			return size.toBytes();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
		if (value instanceof List<?> list) {
			return list.stream().map(SettingsInfoContributor::shown).toList();
		}
		return (value instanceof Number || value instanceof Boolean) ? value : String.valueOf(value);
	}

	/** {@code 5m} rather than {@code 300000ms}. */
	private static ChronoUnit largestExactUnit(Duration duration) {
		for (ChronoUnit unit : List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS,
				ChronoUnit.MILLIS, ChronoUnit.MICROS)) {
			if (duration.toNanos() % unit.getDuration().toNanos() == 0) {
				return unit;
			}
		}
		return ChronoUnit.NANOS;
	}

	private static String camelCase(String dashed) {
		String[] words = dashed.split("-");
		StringBuilder camel = new StringBuilder(words[0]);
		for (int i = 1; i < words.length; i++) {
			camel.append(StringUtils.capitalize(words[i]));
		}
		return camel.toString();
	}

}
