package dev.timestamp.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code timestamp.*} setting, as the configuration processor recorded them from
 * {@link TimestampProperties} in {@code META-INF/spring-configuration-metadata.json}: the
 * one list that the configuration guide (docs/configuration.md), the Helm chart and the
 * start-up checks are compared with. Also the names nearest to a misspelt one.
 */
public final class SettingNames {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<Setting> SETTINGS = load();

	private static final List<String> NAMES = SETTINGS.stream().map(Setting::name).toList();

	private SettingNames() {
	}

	/** Every setting with its type, default and description, sorted by name. */
	public static List<Setting> settings() {
		return SETTINGS;
	}

	/** The default of a setting as the metadata gives it, such as {@code 21567}. */
	public static String defaultOf(String name) {
		return SETTINGS.stream()
			.filter((setting) -> setting.name().equals(name) && setting.defaultValue() != null)
			.map(Setting::defaultValue)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no default for " + name));
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

	private static List<Setting> load() {
		List<Setting> settings = new ArrayList<>();
		try {
			Enumeration<URL> resources = SettingNames.class.getClassLoader().getResources(METADATA);
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					for (JsonNode property : JSON.readTree(in).path("properties")) {
						String name = property.path("name").asString();
						if (name.startsWith("timestamp.")) {
							JsonNode defaultValue = property.path("defaultValue");
							settings.add(new Setting(name, property.path("type").asString(),
									defaultValue.isMissingNode() ? null : defaultValue.asString(),
									property.path("description").asString()));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + METADATA, ex);
		}
		if (settings.isEmpty()) {
			throw new IllegalStateException(METADATA + " lists no timestamp.* setting: the build writes it with"
					+ " spring-boot-configuration-processor");
		}
		settings.sort(Comparator.comparing(Setting::name));
		return List.copyOf(settings);
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

	/**
	 * One setting: its name, Java type, default as the processor wrote it ({@code null}
	 * where it could not tell) and description.
	 */
	public record Setting(String name, String type, @Nullable String defaultValue, String description) {

	}

}
