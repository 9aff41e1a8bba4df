package dev.timestamp.clock;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code clock} in {@code /actuator/health}: whether the clock the service stamps with
 * can be trusted. With NTP servers the measurement decides: {@code UP} while a server
 * answered within the last three intervals with an offset within
 * {@code timestamp.clock.max-offset}. Without, the kernel decides: {@code UP} when it
 * reports the clock synchronized. Otherwise {@link #UNSYNCHRONIZED}, saying why, and
 * {@code UNKNOWN} where neither can tell. Not {@code DOWN}: many virtual machines report
 * an unsynchronized clock whose time is right, and a clock that is not trusted must not
 * turn the service's overall health, or its readiness, down unless the operator asks for
 * that ({@code timestamp.clock.readiness}, {@link ClockReadinessGate}). The aggregate
 * ignores a status it does not order, so the component shows the clock's state without
 * changing the service's.
 *
 * @param kernel the kernel's view of the clock
 * @param ntp the NTP measurement, without servers where none are set
 * @param maxOffset the largest NTP offset that counts as trusted
 */
public record ClockHealth(KernelClockMeters kernel, NtpProbe ntp, Duration maxOffset) implements HealthIndicator {

	/** The clock is not trusted, as its details say. */
	public static final Status UNSYNCHRONIZED = new Status("UNSYNCHRONIZED");

	@Override
	public Health health() {
		KernelClock kernel = this.kernel.clock();
		Map<String, Object> kernelDetails = (kernel != null) ? kernelDetails(kernel.read()) : null;
		if (this.ntp.hasServers()) {
			return ntpHealth(kernelDetails);
		}
		if (kernelDetails == null) {
			return Health.unknown().withDetail("reason", this.kernel.whyAbsent()).build();
		}
		if (Boolean.TRUE.equals(kernelDetails.get("synchronized"))) {
			return Health.up().withDetail("kernel", kernelDetails).build();
		}
		return Health.status(UNSYNCHRONIZED)
			.withDetail("reason", "the kernel reports the clock unsynchronized (adjtimex: TIME_ERROR or STA_UNSYNC)")
			.withDetail("kernel", kernelDetails)
			.build();
	}

	private Health ntpHealth(@Nullable Map<String, Object> kernelDetails) {
		NtpProbe.Answer best = this.ntp.best();
		Health.Builder health;
		if (best == null) {
			health = Health.status(UNSYNCHRONIZED)
				.withDetail("reason", "no NTP server answered in the last three intervals");
		}
		else if (!withinMaxOffset(best)) {
			health = Health.status(UNSYNCHRONIZED)
				.withDetail("reason", "the offset from " + best.server() + ", " + best.offsetSeconds()
						+ " s, is over timestamp.clock.max-offset (" + this.maxOffset.toMillis() + " ms)");
		}
		else {
			health = Health.up();
		}
		health.withDetail("ntp", this.ntp.details());
		if (kernelDetails != null) {
			health.withDetail("kernel", kernelDetails);
		}
		return health.build();
	}

	private static Map<String, Object> kernelDetails(KernelClock.Reading reading) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("synchronized", reading.synchronised());
		details.put("maxErrorSeconds", reading.maxErrorSeconds());
		details.put("estimatedErrorSeconds", reading.estimatedErrorSeconds());
		details.put("offsetSeconds", reading.offsetSeconds());
		details.put("leap", reading.leap());
		return details;
	}

	private boolean withinMaxOffset(NtpProbe.Answer answer) {
		return Math.abs(answer.offsetSeconds()) * 1e9 <= this.maxOffset.toNanos();
	}

	/**
	 * Whether the clock is trusted now: what {@link #health()} would say is UP, or
	 * UNKNOWN where nothing can tell. Without its details, and from a kernel reading up
	 * to a second old: the Time and Daytime listeners ask on every request.
	 */
	public boolean trusted() {
		if (this.ntp.hasServers()) {
			NtpProbe.Answer best = this.ntp.best();
			return best != null && withinMaxOffset(best);
		}
		KernelClock.Reading reading = this.kernel.recentReading();
		return reading == null || reading.synchronised();
	}

}
