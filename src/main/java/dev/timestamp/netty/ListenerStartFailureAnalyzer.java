package dev.timestamp.netty;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed bind into one clear start-up message instead of a stack trace.
 */
class ListenerStartFailureAnalyzer extends AbstractFailureAnalyzer<ListenerStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ListenerStartException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Stop the process that uses " + cause.getTransport() + " port " + cause.getAddress().getPort()
						+ ", or set '" + cause.getPortProperty() + "' to another port (0 picks a free one)"
						+ " or 'timestamp.bind-address' to another address.",
				cause);
	}

}
