package dev.timestamp.startup;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Stops the start-up on an HTTP port no socket can have, naming the property, before the
 * TCP and UDP listeners open. Spring Boot would only find out when the HTTP server
 * starts, after the listeners, and then with a stack trace; a management port below zero
 * it takes as "no HTTP port for the actuator", which leaves the probes nothing to ask, so
 * only {@code -1}, its documented value, is kept. An actuator address without a port of
 * the actuator's own is refused here as well, for the same reasons.
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
		checkActuatorAddress();
	}

	/**
	 * Spring Boot refuses the actuator an address of its own on the application's HTTP
	 * port, but only with an exception's stack trace.
	 */
	private void checkActuatorAddress() {
		String address = this.environment.getProperty("management.server.address");
		if (address != null && ManagementPortType.get(this.environment) == ManagementPortType.SAME) {
			throw new InvalidConfigurationPropertyValueException("management.server.address", address,
					"The actuator has an address of its own only on a port of its own: set management.server.port"
							+ " (to a port other than server.port), or leave management.server.address unset.");
		}
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
