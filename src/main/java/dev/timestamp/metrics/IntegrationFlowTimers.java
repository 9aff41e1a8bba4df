package dev.timestamp.metrics;

import java.util.Map;
import java.util.Set;

import dev.timestamp.config.TimestampProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.support.management.IntegrationManagement;

/**
 * Takes Spring Integration's per-message {@code spring.integration.send} timers off the
 * channels and handlers of the request flows. They time every request four times over
 * (two channels, two handlers) and cost about a third of pipelined throughput, while
 * {@code timestamp.request.duration} already times each request once. Spring
 * Integration's gauges and the meters of every other component stay as Spring Boot
 * provides them; {@code timestamp.metrics.flow-timers=true} keeps the flows' timers too.
 */
class IntegrationFlowTimers implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(IntegrationFlowTimers.class);

	private final ListableBeanFactory beans;

	private volatile boolean running;

	IntegrationFlowTimers(ListableBeanFactory beans) {
		this.beans = beans;
	}

	/** Runs after Spring Integration has registered its meters on every component, before any flow starts. */
	@Override
	public void start() {
		this.running = true;
		// Read at run time, not as a bean condition, so that it also works ahead-of-time processed.
		if (this.beans.getBean(TimestampProperties.class).getMetrics().isFlowTimers()) {
			return;
		}
		Set<String> flows = this.beans.getBeansOfType(IntegrationFlow.class, false, false).keySet();
		Map<String, IntegrationManagement> components = this.beans.getBeansOfType(IntegrationManagement.class, false,
				false);
		components.forEach((name, component) -> {
			if (flows.stream().anyMatch((flow) -> name.startsWith(flow + "."))) {
				// null is how a component without a captor looks; its hot path then skips timing.
				component.registerMetricsCaptor(null);
				logger.debug("No per-message timers on " + name);
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

}
