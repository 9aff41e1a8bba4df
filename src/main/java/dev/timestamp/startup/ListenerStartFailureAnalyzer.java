package dev.timestamp.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed bind into one clear start-up message instead of a stack trace.
 */
class ListenerStartFailureAnalyzer extends AbstractFailureAnalyzer<ListenerStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ListenerStartException cause) {
		return new FailureAnalysis(cause.getMessage(),
				BindFailure.of(cause.getAddress().getAddress(), cause)
					.action(cause.getTransport(), cause.getAddress().getAddress(), cause.getAddress().getPort(),
							cause.getPortProperty(), "timestamp.bind-address"),
				cause);
	}

}
