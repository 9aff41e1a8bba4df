package dev.timestamp.startup;

import java.util.List;

/**
 * {@code TIMESTAMP_*} environment variables that name no setting. Spring Boot ignores
 * them, so a misspelt variable would silently leave its setting at the default.
 */
class UnknownSettingsException extends RuntimeException {

	private final List<String> variables;

	UnknownSettingsException(List<String> variables) {
		super("Unknown TIMESTAMP_* environment variables: " + variables);
		this.variables = variables;
	}

	List<String> variables() {
		return this.variables;
	}

}
