package dev.timestamp.lifecycle;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code spring.main.lazy-initialization=true} (application.properties), which beans
 * are still created before the listeners open: the transports' own, so that the first
 * client is answered without waiting for the HTTP port's stack (WebFlux, its codecs,
 * Jackson, the actuator's endpoints: about a sixth of a start), which is then built when
 * the HTTP server starts, one phase after the listeners open and still before the
 * application reports it has started.
 * <ul>
 * <li>This service's beans: the listeners, their flows, meters and settings checks.</li>
 * <li>Spring Integration's: the flows' channels and endpoints are registered as the flows
 * are processed, and must exist when the endpoints start.</li>
 * <li>The HTTP server's factory: Spring Boot reads its laziness to decide when to build
 * the HTTP handler, and a lazy one would be built by the first request instead (a
 * Kubernetes probe's, with a one-second timeout).</li>
 * <li>Any bean whose type is not known before it is created.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class EagerTransports {

	@Bean
	static LazyInitializationExcludeFilter transportsStayEager() {
		return (name, definition, type) -> type == null || type.getName().startsWith("dev.timestamp.")
				|| type.getName().startsWith("org.springframework.integration.")
				|| ReactiveWebServerFactory.class.isAssignableFrom(type);
	}

}
