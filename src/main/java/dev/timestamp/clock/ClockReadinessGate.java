package dev.timestamp.clock;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;

/**
 * With {@code timestamp.clock.readiness=true}, the {@code clock} component joins the
 * readiness group, and an unsynchronized clock counts there as {@code OUT_OF_SERVICE}: a
 * pod whose clock is not trusted leaves its Service and comes back when the clock does.
 * Never in liveness: a restart does not fix a clock.
 */
class ClockReadinessGate implements HealthEndpointGroupsPostProcessor {

	private static final String READINESS = "readiness";

	private final boolean enabled;

	ClockReadinessGate(boolean enabled) {
		this.enabled = enabled;
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		HealthEndpointGroup readiness = groups.get(READINESS);
		if (!this.enabled || readiness == null) {
			return groups;
		}
		Map<String, HealthEndpointGroup> all = groups.getNames()
			.stream()
			.collect(Collectors.toMap((name) -> name, groups::get));
		all.put(READINESS, new WithClock(readiness));
		return HealthEndpointGroups.of(groups.getPrimary(), all);
	}

	/** The readiness group with the clock as a member. */
	private record WithClock(HealthEndpointGroup group) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return "clock".equals(name) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			StatusAggregator aggregator = this.group.getStatusAggregator();
			return (statuses) -> aggregator.getAggregateStatus(statuses.stream()
				.map((status) -> ClockHealth.UNSYNCHRONIZED.equals(status) ? Status.OUT_OF_SERVICE : status)
				.collect(Collectors.toSet()));
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
