package dev.timestamp.lifecycle;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The order in which shutdown stops things: lifecycles stop from the highest phase down.
 */
final class ShutdownPhases {

	/** First: readiness turns to {@code REFUSING_TRAFFIC} before anything else stops. */
	static final int READINESS = SmartLifecycle.DEFAULT_PHASE;

	/**
	 * Then the transports drain: after readiness, before Spring Boot's graceful shutdown
	 * of the HTTP server
	 * ({@value WebServerGracefulShutdownLifecycle#SMART_LIFECYCLE_PHASE}) and before the
	 * Spring Integration endpoints stop.
	 */
	static final int DRAIN = READINESS - 512;

	private ShutdownPhases() {
	}

}
