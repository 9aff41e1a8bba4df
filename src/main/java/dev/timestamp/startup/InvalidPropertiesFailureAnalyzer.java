package dev.timestamp.startup;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;

/**
 * Reports an invalid {@code timestamp.*} value under the name an operator writes
 * ({@code timestamp.tcp.max-frame-bytes}); Spring Boot's own report names nested
 * properties by their Java field path ({@code timestamp.tcp.maxFrameBytes}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		String prefix = cause.getValidationErrors().getName().toString();
		String problems = cause.getValidationErrors()
			.getAllErrors()
			.stream()
			.map((error) -> (error instanceof FieldError field)
					? "    " + prefix + "." + DataObjectPropertyName.toDashedForm(field.getField()) + "=\""
							+ field.getRejectedValue() + "\": " + field.getDefaultMessage()
					: "    " + error.getDefaultMessage())
			.collect(Collectors.joining(System.lineSeparator()));
		return new FailureAnalysis("Invalid configuration:" + System.lineSeparator() + problems,
				"Correct the value of each property named above (docs/configuration.md lists every setting and its limits).",
				cause);
	}

}
