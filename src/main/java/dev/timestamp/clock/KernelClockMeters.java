package dev.timestamp.clock;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.timestamp.lifecycle.PhasedLifecycle;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The kernel's view of the clock the service stamps with, as gauges read on each scrape:
 * the same truths node_exporter's {@code timex} collector tells about the node. Where the
 * kernel's clock cannot be read the gauges are absent, and the start-up log says why,
 * once. It is opened as the start ends, after the listeners and the HTTP port, so that
 * loading JNA does not delay the first reply; readiness turns UP only after that.
 */
public final class KernelClockMeters extends PhasedLifecycle {

	private static final Log logger = LogFactory.getLog("dev.timestamp.clock");

	/** How old a reading {@link #recentReading()} may return. */
	private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final MeterRegistry registry;

	private volatile @Nullable KernelClock clock;

	private volatile String whyAbsent = "the kernel's clock is read once the start-up ends";

	private volatile @Nullable Recent recent;

	public KernelClockMeters(MeterRegistry registry) {
		super(SmartLifecycle.DEFAULT_PHASE - 1);
		this.registry = registry;
	}

	@Override
	public void start() {
		if (this.clock == null) {
			StringBuilder why = new StringBuilder();
			KernelClock opened = KernelClock.open(why);
			this.whyAbsent = why.toString();
			if (opened == null) {
				logger.info("Clock meters (timestamp_clock_*) are absent: " + why);
			}
			else {
				register(opened);
			}
			this.clock = opened;
		}
		super.start();
	}

	private void register(KernelClock clock) {
		gauge(clock, "timestamp.clock.synchronized", null,
				"1 when the kernel reports the system clock synchronized, else 0",
				(reading) -> reading.synchronised() ? 1 : 0);
		gauge(clock, "timestamp.clock.max.error", "seconds", "The kernel's maximum error of the system clock",
				KernelClock.Reading::maxErrorSeconds);
		gauge(clock, "timestamp.clock.estimated.error", "seconds", "The kernel's estimated error of the system clock",
				KernelClock.Reading::estimatedErrorSeconds);
		gauge(clock, "timestamp.clock.offset", "seconds", "The offset the kernel is correcting",
				KernelClock.Reading::offsetSeconds);
		gauge(clock, "timestamp.clock.leap", null,
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

	/**
	 * The kernel's reading, at most {@link #RECENT_NANOS} old, or {@code null} where the
	 * clock cannot be read: for a caller that asks far more often than the clock's state
	 * changes.
	 */
	KernelClock.@Nullable Reading recentReading() {
		KernelClock clock = this.clock;
		if (clock == null) {
			return null;
		}
		long now = System.nanoTime();
		Recent recent = this.recent;
		if (recent == null || now - recent.atNanos() >= RECENT_NANOS) {
			recent = new Recent(clock.read(), now);
			this.recent = recent;
		}
		return recent.reading();
	}

	private void gauge(KernelClock clock, String name, @Nullable String unit, String description,
			ToDoubleFunction<KernelClock.Reading> value) {
		Gauge.builder(name, clock, (kernel) -> value.applyAsDouble(kernel.read()))
			.baseUnit(unit)
			.description(description)
			.strongReference(true)
			.register(this.registry);
	}

	/** A reading and when it was taken. */
	private record Recent(KernelClock.Reading reading, long atNanos) {
	}

}
