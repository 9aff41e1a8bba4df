package dev.timestamp.netty;

import dev.timestamp.config.TimestampProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EventLoopsConfiguration {

	@Bean
	EventLoops eventLoops(TimestampProperties properties) {
		return new EventLoops(properties.getIoThreads());
	}

}
