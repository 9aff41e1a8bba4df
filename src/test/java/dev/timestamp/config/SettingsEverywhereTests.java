package dev.timestamp.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.timestamp.support.HelmChart;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the build writes from {@link TimestampProperties} is
 * the one list of settings: the configuration guide's table (docs/configuration.md), the
 * chart's values, its schema and its ConfigMap each carry every setting, and no other,
 * with the same defaults. A new property that is forgotten in any of them fails here.
 */
class SettingsEverywhereTests {

	private static final Path CHART = HelmChart.CHART;

	/** Where the chart deliberately differs from the application, and why. */
	private static final Map<String, String> CHART_DIFFERENCES = Map.of("timestamp.zone",
			"the chart stamps in UTC so every pod of a release agrees; the application uses the system zone",
			"timestamp.rfc868.port",
			"the pod runs as non-root, so it listens on 10037 and the Service carries port 37 to it",
			"timestamp.daytime.port",
			"the pod runs as non-root, so it listens on 10013 and the Service carries port 13 to it");

	@Test
	void theMetadataListsEverySetting() {
		assertThat(SettingNames.all()).contains("timestamp.tcp.port", "timestamp.tcp.max-frame-bytes",
				"timestamp.udp.rate-limit.burst", "timestamp.http.request-timeout", "timestamp.metrics.flow-timers");
		assertThat(SettingNames.settings()).allSatisfy((setting) -> assertThat(setting.description())
			.as(setting.name() + " has a description (the Javadoc of its field)")
			.isNotBlank());
	}

	@Test
	void theConfigurationGuidesTableHasARowForEverySettingWithItsDefault() throws IOException {
		Map<String, String> rows = guideRows();
		assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(SettingNames.all());
		for (SettingNames.Setting setting : SettingNames.settings()) {
			if (setting.defaultValue() != null) {
				assertThat(rows.get(setting.name())).as(setting.name()).isEqualTo("`" + setting.defaultValue() + "`");
			}
		}
	}

	@Test
	void theChartsValuesHaveEverySettingWithItsDefault() throws IOException {
		Map<String, String> values = new TreeMap<>();
		flatten("timestamp", new YAMLMapper().readTree(CHART.resolve("values.yaml").toFile()).path("timestamp"),
				values);
		assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(SettingNames.all());
		for (SettingNames.Setting setting : SettingNames.settings()) {
			if (setting.defaultValue() != null && !CHART_DIFFERENCES.containsKey(setting.name())) {
				assertThat(values.get(setting.name())).as(setting.name()).isEqualTo(setting.defaultValue());
			}
		}
	}

	@Test
	void theChartsSchemaDescribesEverySetting() throws IOException {
		JsonNode timestamp = JsonMapper.builder()
			.build()
			.readTree(CHART.resolve("values.schema.json").toFile())
			.path("properties")
			.path("timestamp");
		Map<String, String> leaves = new TreeMap<>();
		schemaLeaves("timestamp", timestamp, leaves);
		assertThat(leaves.keySet()).containsExactlyInAnyOrderElementsOf(SettingNames.all());
	}

	@Test
	void theChartsConfigMapPassesEverySettingToTheApplication() throws IOException {
		List<HasMetadata> manifests = HelmChart.render();
		ConfigMap configMap = manifests.stream()
			.filter(ConfigMap.class::isInstance)
			.map(ConfigMap.class::cast)
			.findFirst()
			.orElseThrow();
		Properties rendered = new Properties();
		rendered.load(new StringReader(configMap.getData().get("application.properties")));
		assertThat(rendered.stringPropertyNames().stream().filter((name) -> name.startsWith("timestamp.")))
			.containsExactlyInAnyOrderElementsOf(SettingNames.all());
	}

	/** The rows of the configuration guide's table: setting → default column. */
	private static Map<String, String> guideRows() throws IOException {
		String guide = Files.readString(Path.of("docs/configuration.md"));
		String section = guide.substring(0, guide.indexOf("\n## "));
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher row = Pattern.compile("(?m)^\\| `(timestamp\\.[a-z0-9.-]+)` \\| ([^|]+) \\|").matcher(section);
		while (row.find()) {
			rows.put(row.group(1), row.group(2).trim());
		}
		return rows;
	}

	private static void flatten(String prefix, JsonNode node, Map<String, String> values) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				flatten(prefix + "." + DataObjectPropertyName.toDashedForm(field.getKey()), field.getValue(), values);
			}
		}
		else if (node.isArray()) {
			// A list setting: the chart's list, as the comma-separated property it
			// renders.
			List<String> items = new ArrayList<>();
			node.values().forEach((item) -> items.add(item.asString()));
			values.put(prefix, String.join(",", items));
		}
		else {
			values.put(prefix, node.asString());
		}
	}

	private static void schemaLeaves(String prefix, JsonNode node, Map<String, String> leaves) {
		JsonNode properties = node.path("properties");
		if (properties.isMissingNode()) {
			leaves.put(prefix, node.toString());
			return;
		}
		for (Map.Entry<String, JsonNode> field : properties.properties()) {
			schemaLeaves(prefix + "." + DataObjectPropertyName.toDashedForm(field.getKey()), field.getValue(), leaves);
		}
	}

}
