package dev.timestamp.netty;

import dev.timestamp.config.TimestampProperties;
import reactor.netty.resources.LoopResources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

@Configuration(proxyBeanMethods = false)
class EventLoopsConfiguration {

	@Bean
	EventLoops eventLoops(TimestampProperties properties) {
		return new EventLoops(properties.getIoThreads(), "timestamp-io", properties.getTcp().getTransport());
	}

	/**
	 * The actuator's HTTP server gets one event loop of its own instead of Reactor
	 * Netty's global ones (at least four threads, and disposed JVM-wide when any context
	 * closes).
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResources(LoopResources.create("actuator-http", 1, 1, true));
		return factory;
	}

}
