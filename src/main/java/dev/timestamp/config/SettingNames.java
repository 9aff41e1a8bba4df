package dev.timestamp.config;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Every {@code timestamp.*} setting's name, read off {@link TimestampProperties} itself,
 * and the names nearest to a misspelt one.
 */
public final class SettingNames {

	private static final List<String> NAMES = collect("timestamp", TimestampProperties.class, new ArrayList<>());

	private SettingNames() {
	}

	/** Every setting, such as {@code timestamp.tcp.max-frame-bytes}. */
	public static List<String> all() {
		return NAMES;
	}

	/**
	 * The settings nearest to a misspelt name (edit distance), the closest first; at most
	 * three.
	 */
	public static List<String> nearest(String misspelt) {
		String wanted = comparable(misspelt);
		return NAMES.stream()
			.filter((name) -> distance(comparable(name), wanted) <= 3)
			.sorted(Comparator.comparingInt((String name) -> distance(comparable(name), wanted)))
			.limit(3)
			.toList();
	}

	/**
	 * Compared without case, dashes or the difference between {@code _} and {@code .}.
	 */
	private static String comparable(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "");
	}

	/**
	 * The setting an environment variable binds to, or {@code null}: Spring Boot maps
	 * {@code TIMESTAMP_TCP_MAXFRAMEBYTES} (and the older
	 * {@code TIMESTAMP_TCP_MAX_FRAME_BYTES}) to {@code timestamp.tcp.max-frame-bytes}.
	 */
	public static @Nullable String forEnvironmentVariable(String variable) {
		for (String name : NAMES) {
			String upper = name.toUpperCase(Locale.ROOT).replace('.', '_');
			if (variable.equals(upper.replace("-", "")) || variable.equals(upper.replace('-', '_'))) {
				return name;
			}
		}
		return null;
	}

	/** A setting's environment-variable form: {@code TIMESTAMP_TCP_MAXFRAMEBYTES}. */
	public static String environmentVariable(String name) {
		return name.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
	}

	private static List<String> collect(String prefix, Class<?> type, List<String> names) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + DataObjectPropertyName.toDashedForm(property.getName());
			Class<?> valueType = property.getPropertyType();
			if (valueType.getEnclosingClass() != null
					&& valueType.getName().startsWith(TimestampProperties.class.getName())) {
				collect(name, valueType, names);
			}
			else if (property.getWriteMethod() != null) {
				names.add(name);
			}
		}
		return names;
	}

	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
