package dev.timestamp.tls;

/**
 * The SSL bundle named by {@code timestamp.tls.bundle} exists but cannot serve TLS: its
 * files cannot be read, or its key is not its certificate's.
 */
class TlsBundleException extends RuntimeException {

	private final String bundleName;

	TlsBundleException(String bundleName, RuntimeException cause) {
		super("The TLS listener cannot use SSL bundle '" + bundleName + "' (timestamp.tls.bundle): " + reasons(cause),
				cause);
		this.bundleName = bundleName;
	}

	String getBundleName() {
		return this.bundleName;
	}

	/**
	 * The messages of a failure and its causes, each said once: Spring Boot's PEM loader
	 * wraps one reason in three exceptions, and only the last names the file's problem.
	 */
	static String reasons(Throwable failure) {
		StringBuilder reasons = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && !reasons.toString().contains(message)) {
				reasons.append((reasons.length() > 0) ? ": " : "").append(message);
			}
		}
		return (reasons.length() > 0) ? reasons.toString() : failure.getClass().getName();
	}

}
