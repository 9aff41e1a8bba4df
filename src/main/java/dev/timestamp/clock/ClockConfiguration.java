package dev.timestamp.clock;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.ServiceMeters;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock's beans: its kernel view and NTP measurement, the health component and its
 * readiness gate (the Time and Daytime flows are in {@link TimeFlowConfiguration}). Each
 * is registered whatever the settings say and reads them at run time, since ahead-of-time
 * processing fixes which beans exist.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

	/** {@code clock} in health: the bean's name makes the component's. */
	@Bean
	ClockHealth clockHealthIndicator(KernelClockMeters kernel, NtpProbe ntp, TimestampProperties properties) {
		return new ClockHealth(kernel, ntp, properties.clock().maxOffset());
	}

	@Bean
	KernelClockMeters kernelClockMeters(ServiceMeters meters) {
		return new KernelClockMeters(meters.registry());
	}

	@Bean
	NtpProbe ntpProbe(TimestampProperties properties, ServiceMeters meters) {
		TimestampProperties.Clock.Ntp ntp = properties.clock().ntp();
		return new NtpProbe(ntp.servers(), ntp.interval(), ntp.timeout(), meters.registry(), System::nanoTime);
	}

	/**
	 * Registered whatever the setting, which it reads at run time (ahead-of-time
	 * processing fixes beans).
	 */
	@Bean
	ClockReadinessGate clockReadinessGate(TimestampProperties properties) {
		return new ClockReadinessGate(properties.clock().readiness());
	}

}
