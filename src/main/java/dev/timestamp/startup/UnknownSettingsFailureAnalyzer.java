package dev.timestamp.startup;

import java.util.List;
import java.util.stream.Collectors;

import dev.timestamp.config.SettingNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Leads with the misspelt setting and the valid ones nearest to it. Spring Boot's own
 * report opens with the binding target's internals
 * ({@code Binding to target [Bindable@…}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownSettingsFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			FailureAnalysis analysis = analyzeCause(cause);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

	private @Nullable FailureAnalysis analyzeCause(Throwable cause) {
		if (cause instanceof UnboundConfigurationPropertiesException unbound) {
			String lines = unbound.getUnboundProperties()
				.stream()
				.map(UnknownSettingsFailureAnalyzer::describe)
				.collect(Collectors.joining(System.lineSeparator()));
			return analysis(lines, cause);
		}
		if (cause instanceof UnknownSettingsException unknown) {
			String lines = unknown.variables()
				.stream()
				.map((variable) -> "    " + variable + " (environment variable)" + suggestion(variable, true))
				.collect(Collectors.joining(System.lineSeparator()));
			return analysis(lines, cause);
		}
		return null;
	}

	private static FailureAnalysis analysis(String lines, Throwable cause) {
		return new FailureAnalysis("Unknown setting(s):" + System.lineSeparator() + lines,
				"Correct the name of each setting above (docs/configuration.md lists every one).", cause);
	}

	private static String describe(ConfigurationProperty property) {
		String origin = (property.getOrigin() != null) ? " from " + property.getOrigin() : "";
		return "    " + property.getName() + "=\"" + property.getValue() + "\"" + origin
				+ suggestion(property.getName().toString(), false);
	}

	private static String suggestion(String name, boolean asVariable) {
		List<String> nearest = SettingNames.nearest(name);
		if (nearest.isEmpty()) {
			return "";
		}
		return ": did you mean " + nearest.stream()
			.map((candidate) -> asVariable ? SettingNames.environmentVariable(candidate) + " (" + candidate + ")"
					: candidate)
			.collect(Collectors.joining(" or ")) + "?";
	}

}
