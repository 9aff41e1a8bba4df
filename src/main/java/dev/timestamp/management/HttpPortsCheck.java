package dev.timestamp.management;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Stops the start-up on an HTTP port no socket can have, naming the property, before the
 * TCP and UDP listeners open. Spring Boot would only find out when the HTTP server
 * starts, after the listeners, and then with a stack trace; a management port below zero
 * it takes as "no HTTP port for the actuator", which leaves the probes nothing to ask, so
 * only {@code -1}, its documented value, is kept.
 */
@Component
class HttpPortsCheck implements InitializingBean {

	private final Environment environment;

	HttpPortsCheck(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		check("server.port", 0);
		check("management.server.port", -1);
	}

	private void check(String property, int lowest) {
		Binder.get(this.environment).bind(property, Integer.class).ifBound((port) -> {
			if (port < lowest || port > 65535) {
				throw new InvalidConfigurationPropertyValueException(property, port,
						"An HTTP port is 0-65535 (0 picks a free one)"
								+ ((lowest < 0) ? ", or -1 for no HTTP port for the actuator." : "."));
			}
		});
	}

}
