package dev.timestamp.tls;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bundle the TLS listener cannot use into one start-up message naming the
 * bundle's settings, instead of a stack trace four exceptions deep.
 */
class TlsBundleFailureAnalyzer extends AbstractFailureAnalyzer<TlsBundleException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TlsBundleException cause) {
		String name = cause.getBundleName();
		return new FailureAnalysis(cause.getMessage(),
				"Check the bundle's settings, spring.ssl.bundle.pem." + name + ".* (or spring.ssl.bundle.jks." + name
						+ ".*): that its files exist and can be read, that the private key is the one of the"
						+ " certificate (the first of the chain), and that an encrypted key has its password.",
				cause);
	}

}
