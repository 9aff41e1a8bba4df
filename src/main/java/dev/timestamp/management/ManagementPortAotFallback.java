package dev.timestamp.management;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The jar's Spring AOT output was worked out with the actuator on the application's HTTP
 * port, and AOT keeps that choice: Spring Boot would ignore
 * {@code management.server.port} without a word. When the settings give the actuator a
 * port of its own (or none), the application starts the ordinary way instead, in which
 * Spring Boot creates the management context; the start-up log says so.
 */
class ManagementPortAotFallback implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	ManagementPortAotFallback(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(ManagementPortAotFallback.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (AotDetector.useGeneratedArtifacts() && ManagementPortType.get(environment) != ManagementPortType.SAME) {
			System.setProperty(AotDetector.AOT_ENABLED, "false");
			this.log.info("management.server.port gives the actuator a port of its own, which the"
					+ " ahead-of-time output does not cover: starting without it");
		}
	}

	/** After the configuration files and every other source have been read. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
