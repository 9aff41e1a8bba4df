package dev.timestamp.startup;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.timestamp.config.SettingNames;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.stereotype.Component;

/**
 * Stops the start-up when a {@code TIMESTAMP_*} environment variable names no setting, as
 * a misspelt {@code --timestamp.*} argument does.
 */
@Component
class EnvironmentVariablesCheck implements InitializingBean {

	/**
	 * The variables Kubernetes sets for every Service of the namespace (service links): a
	 * Service named {@code timestamp-service} gives
	 * {@code TIMESTAMP_SERVICE_SERVICE_HOST},
	 * {@code TIMESTAMP_SERVICE_PORT_21567_TCP_ADDR} and so on. They are not settings.
	 */
	private static final Pattern KUBERNETES_SERVICE_LINK = Pattern.compile(
			"[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");

	private final ConfigurableEnvironment environment;

	EnvironmentVariablesCheck(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		Object variables = this.environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		List<String> unknown = unknown((variables instanceof MapPropertySource source) ? source.getSource() : Map.of());
		if (!unknown.isEmpty()) {
			throw new UnknownSettingsException(unknown);
		}
	}

	static List<String> unknown(Map<String, ?> environment) {
		return environment.keySet()
			.stream()
			.filter((name) -> name.startsWith("TIMESTAMP_"))
			.filter((name) -> !KUBERNETES_SERVICE_LINK.matcher(name).matches())
			.filter((name) -> SettingNames.forEnvironmentVariable(name) == null)
			.sorted()
			.toList();
	}

}
