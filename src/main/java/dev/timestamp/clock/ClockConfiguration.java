package dev.timestamp.clock;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.lifecycle.PhasedLifecycle;
import dev.timestamp.metrics.ServiceMeters;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.udp.SourceRateLimiter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock's beans: its kernel view and NTP measurement, the health component and its
 * readiness gate, and the Time and Daytime listeners. Each is registered whatever the
 * settings say and reads them at run time, since ahead-of-time processing fixes which
 * beans exist.
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

	@Bean
	TimeProtocolListeners timeProtocolListeners(TimestampProperties properties, EventLoops loops, Clock clock,
			ServiceMeters meters, ClockHealth health) {
		TimeReplies replies = new TimeReplies(clock, properties.format(), properties.zone());
		List<TimeProtocolListeners.Protocol> protocols = new ArrayList<>();
		if (properties.rfc868().enabled()) {
			protocols.add(new TimeProtocolListeners.Protocol("rfc868", "Time (RFC 868)", properties.rfc868().port(),
					"timestamp.rfc868.port", replies::time));
		}
		if (properties.daytime().enabled()) {
			protocols.add(new TimeProtocolListeners.Protocol("daytime", "Daytime (RFC 867)",
					properties.daytime().port(), "timestamp.daytime.port", replies::daytime));
		}
		TimestampProperties.Udp.RateLimit limit = properties.udp().rateLimit();
		return new TimeProtocolListeners(protocols, loops, BindAddress.effective(properties.bindAddress()),
				properties.udp().minSourcePort(),
				() -> limit.enabled()
						? new SourceRateLimiter(limit.requestsPerSecond(), limit.burst(), limit.maxTrackedSources())
						: null,
				properties.clock().readiness() ? health::trusted : () -> true, meters.registry(),
				PhasedLifecycle.LISTENERS_OPEN);
	}

}
