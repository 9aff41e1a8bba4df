package dev.timestamp.support;

import java.nio.file.Path;
import java.util.List;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The project's Helm chart, rendered by the embedded Helm and parsed into Kubernetes API
 * types.
 */
public final class HelmChart {

	public static final Path CHART = Path.of("helm/timestamp-service");

	private HelmChart() {
	}

	/** Renders release {@code ts} with {@code --set name value} pairs. */
	public static List<HasMetadata> render(String... sets) {
		var template = new Helm(CHART).template().withName("ts");
		for (int i = 0; i < sets.length; i += 2) {
			template = template.set(sets[i], sets[i + 1]);
		}
		return parse(template.call());
	}

	public static List<HasMetadata> parse(String yaml) {
		Object parsed = new KubernetesSerialization().unmarshal(yaml);
		@SuppressWarnings("unchecked")
		List<HasMetadata> manifests = (parsed instanceof List<?> list) ? (List<HasMetadata>) list
				: List.of((HasMetadata) parsed);
		return manifests;
	}

}
