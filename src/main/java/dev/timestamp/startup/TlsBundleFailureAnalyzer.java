package dev.timestamp.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bundle that cannot be used into one start-up message naming the bundle's
 * settings, instead of a stack trace four exceptions deep.
 */
class TlsBundleFailureAnalyzer extends AbstractFailureAnalyzer<TlsBundleException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TlsBundleException cause) {
		String name = cause.getBundleName();
		String settings = "spring.ssl.bundle.pem." + name + ".* (or spring.ssl.bundle.jks." + name + ".*)";
		String action = cause.isListeners()
				? "Check the bundle's settings, " + settings + ": that its files exist and can be read, that the"
						+ " private key is the one of the certificate (the first of the chain), and that an"
						+ " encrypted key has its password."
				: "Check the bundle's settings, " + settings + ": that its files exist and can be read and that an"
						+ " encrypted key has its password; or remove them if nothing uses the bundle.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
