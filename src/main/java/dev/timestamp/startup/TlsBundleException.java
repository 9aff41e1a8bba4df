package dev.timestamp.startup;

/**
 * An SSL bundle that cannot serve: the one named by {@code timestamp.tls.bundle}, whose
 * files cannot be read, whose key is not its certificate's or with which no handshake
 * completes; or another bundle whose files cannot be read.
 */
public class TlsBundleException extends RuntimeException {

	private final String bundleName;

	private final boolean listeners;

	public TlsBundleException(String bundleName, RuntimeException cause) {
		this(bundleName, true, "The TLS listener cannot use SSL bundle '" + bundleName + "' (timestamp.tls.bundle): ",
				cause);
	}

	private TlsBundleException(String bundleName, boolean listeners, String message, RuntimeException cause) {
		super(message + reasons(cause), cause);
		this.bundleName = bundleName;
		this.listeners = listeners;
	}

	/** A bundle the TLS listener does not use, which Spring Boot still loads. */
	static TlsBundleException unusedAndUnreadable(String bundleName, RuntimeException cause) {
		return new TlsBundleException(bundleName, false, "SSL bundle '" + bundleName
				+ "' cannot be loaded (Spring Boot loads every bundle at start-up, used or not): ", cause);
	}

	String getBundleName() {
		return this.bundleName;
	}

	/** Whether it is the bundle of the TLS listener. */
	boolean isListeners() {
		return this.listeners;
	}

	/**
	 * The messages of a failure and its causes, each said once: Spring Boot's PEM loader
	 * wraps one reason in three exceptions, and only the last names the file's problem.
	 */
	public static String reasons(Throwable failure) {
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
