package dev.timestamp.metrics;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.netty.DirectMemory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transports' meters, registered at start-up so that they exist (at zero) before the
 * first request. With {@code timestamp.metrics.enabled=false} they record into a registry
 * that keeps nothing, to measure what metrics cost. Micrometer reads its wall time from a
 * {@link TickingClock}.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	TickingClock micrometerClock() {
		return new TickingClock();
	}

	@Bean
	ServiceMeters serviceMeters(TimestampProperties properties, ObjectProvider<MeterRegistry> registry) {
		ServiceMeters meters = new ServiceMeters(registry(properties, registry));
		DirectMemory.bindTo(meters.registry());
		return meters;
	}

	@Bean
	static RequestFlowTuning requestFlowTuning(ListableBeanFactory beans) {
		return new RequestFlowTuning(beans);
	}

	private static MeterRegistry registry(TimestampProperties properties, ObjectProvider<MeterRegistry> registry) {
		// A composite registry without members hands out no-op meters.
		return properties.metrics().enabled() ? registry.getIfAvailable(CompositeMeterRegistry::new)
				: new CompositeMeterRegistry();
	}

}
