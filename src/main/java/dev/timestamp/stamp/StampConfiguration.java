package dev.timestamp.stamp;

import java.time.Clock;

import dev.timestamp.config.TimestampProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StampConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	TimestampingService timestampingService(Clock clock, TimestampProperties properties) {
		return new TimestampingService(clock, properties.format(), properties.zone());
	}

}
