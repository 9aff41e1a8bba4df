package dev.timestamp.netty;

import java.time.Duration;

import dev.timestamp.config.TimestampProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

@Configuration(proxyBeanMethods = false)
class EventLoopsConfiguration {

	@Bean
	EventLoops eventLoops(TimestampProperties properties) {
		return new EventLoops(properties.ioThreads(), "timestamp-io", properties.tcp().transport());
	}

	/** The file descriptors every listener's connections and sockets draw on. */
	@Bean
	DescriptorBudget descriptorBudget() {
		return new DescriptorBudget();
	}

	/**
	 * The actuator's HTTP server gets one event loop of its own instead of Reactor
	 * Netty's global ones (at least four threads, and disposed JVM-wide when any context
	 * closes). Given as a supplier, so that the factory also shuts it down with the
	 * context; by then the HTTP server has stopped, so there is nothing to wait for.
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory(EventLoops loops) {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResourcesSupplier(() -> new HttpLoopResources("actuator-http", loops.ioHandlerFactory()));
		factory.setShutdownQuietPeriod(Duration.ZERO);
		return factory;
	}

}
