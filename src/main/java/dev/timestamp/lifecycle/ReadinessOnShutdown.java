package dev.timestamp.lifecycle;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Turns readiness to {@code REFUSING_TRAFFIC} (readiness probe {@code OUT_OF_SERVICE}) as
 * the very first step of shutdown, before any listener stops, so that load balancers stop
 * sending new clients while the current ones are still served.
 */
@Component
class ReadinessOnShutdown extends PhasedLifecycle {

	private static final Log logger = LogFactory.getLog(ReadinessOnShutdown.class);

	private final ApplicationEventPublisher publisher;

	ReadinessOnShutdown(ApplicationEventPublisher publisher) {
		super(ShutdownPhases.READINESS);
		this.publisher = publisher;
	}

	@Override
	public void stop() {
		super.stop();
		logger.info("Shutting down: readiness is now REFUSING_TRAFFIC");
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
	}

}
