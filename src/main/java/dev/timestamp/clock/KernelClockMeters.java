package dev.timestamp.clock;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of the clock the service stamps with, as gauges read on each scrape:
 * the same truths node_exporter's {@code timex} collector tells about the node. Where the
 * kernel's clock cannot be read the gauges are absent, and the start-up log says why,
 * once.
 */
public final class KernelClockMeters {

	private static final Log logger = LogFactory.getLog("dev.timestamp.clock");

	private final @Nullable KernelClock clock;

	private final String whyAbsent;

	public KernelClockMeters(@Nullable KernelClock clock, String whyAbsent, MeterRegistry registry) {
		this.clock = clock;
		this.whyAbsent = whyAbsent;
		if (clock == null) {
			logger.info("Clock meters (timestamp_clock_*) are absent: " + whyAbsent);
			return;
		}
		gauge(registry, "timestamp.clock.synchronized", null,
				"1 when the kernel reports the system clock synchronized, else 0",
				(reading) -> reading.synchronised() ? 1 : 0);
		gauge(registry, "timestamp.clock.max.error", "seconds", "The kernel's maximum error of the system clock",
				KernelClock.Reading::maxErrorSeconds);
		gauge(registry, "timestamp.clock.estimated.error", "seconds",
				"The kernel's estimated error of the system clock", KernelClock.Reading::estimatedErrorSeconds);
		gauge(registry, "timestamp.clock.offset", "seconds", "The offset the kernel is correcting",
				KernelClock.Reading::offsetSeconds);
		gauge(registry, "timestamp.clock.leap", null,
				"Leap-second state: 0 none, 1 insert at midnight, 2 delete, 3 in progress", KernelClock.Reading::leap);
	}

	/**
	 * The kernel's clock, or {@code null} where it cannot be read ({@link #whyAbsent()}).
	 */
	public @Nullable KernelClock clock() {
		return this.clock;
	}

	public String whyAbsent() {
		return this.whyAbsent;
	}

	private void gauge(MeterRegistry registry, String name, @Nullable String unit, String description,
			ToDoubleFunction<KernelClock.Reading> value) {
		KernelClock clock = this.clock;
		Gauge.builder(name, clock, (kernel) -> value.applyAsDouble(kernel.read()))
			.baseUnit(unit)
			.description(description)
			.strongReference(true)
			.register(registry);
	}

}
