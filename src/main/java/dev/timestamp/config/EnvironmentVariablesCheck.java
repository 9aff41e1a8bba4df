package dev.timestamp.config;

import java.util.List;
import java.util.Map;

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

	static List<String> unknown(Map<String, Object> environment) {
		return environment.keySet()
			.stream()
			.filter((name) -> name.startsWith("TIMESTAMP_"))
			.filter((name) -> SettingNames.forEnvironmentVariable(name) == null)
			.sorted()
			.toList();
	}

}
