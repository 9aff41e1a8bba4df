package dev.timestamp.clock;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code clock} in {@code /actuator/health}: whether the clock the service stamps with
 * can be trusted. The kernel decides: {@code UP} when it reports the clock synchronized,
 * {@link #UNSYNCHRONIZED} when not, {@code UNKNOWN} where it cannot be read. Not
 * {@code DOWN}: many virtual machines report an unsynchronized clock whose time is right,
 * and a clock that is not trusted must not turn the service's overall health, or its
 * readiness, down unless the operator asks for that ({@code timestamp.clock.readiness},
 * {@link ClockReadinessGate}). The aggregate ignores a status it does not order, so the
 * component shows the clock's state without changing the service's.
 */
public class ClockHealth implements HealthIndicator {

	/** The clock is not synchronized, as its details say. */
	public static final Status UNSYNCHRONIZED = new Status("UNSYNCHRONIZED");

	private final @Nullable KernelClock kernel;

	private final String whyNoKernel;

	public ClockHealth(@Nullable KernelClock kernel, String whyNoKernel) {
		this.kernel = kernel;
		this.whyNoKernel = whyNoKernel;
	}

	@Override
	public Health health() {
		KernelClock kernel = this.kernel;
		if (kernel == null) {
			return Health.unknown().withDetail("reason", this.whyNoKernel).build();
		}
		KernelClock.Reading reading = kernel.read();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("synchronized", reading.synchronised());
		details.put("maxErrorSeconds", reading.maxErrorSeconds());
		details.put("estimatedErrorSeconds", reading.estimatedErrorSeconds());
		details.put("offsetSeconds", reading.offsetSeconds());
		details.put("leap", reading.leap());
		if (reading.synchronised()) {
			return Health.up().withDetail("kernel", details).build();
		}
		return Health.status(UNSYNCHRONIZED)
			.withDetail("reason", "the kernel reports the clock unsynchronized (adjtimex: TIME_ERROR or STA_UNSYNC)")
			.withDetail("kernel", details)
			.build();
	}

	/** Whether the clock is trusted now: UP, or UNKNOWN where nothing can tell. */
	public boolean trusted() {
		Status status = health().getStatus();
		return Status.UP.equals(status) || Status.UNKNOWN.equals(status);
	}

}
