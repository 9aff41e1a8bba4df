package dev.timestamp.stamp;

import java.time.Clock;
import java.util.Map;

import dev.timestamp.config.TimestampProperties;

import org.springframework.boot.actuate.info.InfoContributor;
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
	InfoContributor timestampInfoContributor(TimestampProperties properties) {
		return (info) -> info.withDetail("timestamp",
				Map.of("format", properties.getFormat().name(), "zone", properties.getZone().getId(), "io-threads",
						properties.getIoThreads(), "http-request-timeout",
						properties.getHttp().getRequestTimeout().toString()));
	}

	@Bean
	TimestampingService timestampingService(Clock clock, TimestampProperties properties) {
		return new TimestampingService(clock, properties.getFormat(), properties.getZone());
	}

}
