package dev.timestamp.metrics;

import java.util.Map;
import java.util.Set;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.lifecycle.PhasedLifecycle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.support.management.IntegrationManagement;

/**
 * Takes Spring Integration's per-message overheads off the channels and handlers of the
 * request flows:
 * <ul>
 * <li>the {@code spring.integration.send} timers. They time every request four times over
 * (two channels, two handlers) and cost about a third of pipelined throughput, while
 * {@code timestamp.request.duration} already times each request once. Spring
 * Integration's gauges and the meters of every other component stay as Spring Boot
 * provides them; {@code timestamp.metrics.flow-timers=true} keeps the flows' timers
 * too.</li>
 * <li>the per-message debug logging ({@link IntegrationManagement#setLoggingEnabled}),
 * whose level checks run for every request on every component, unless
 * {@code org.springframework.integration} logs at DEBUG when the application starts.</li>
 * </ul>
 */
class RequestFlowTuning extends PhasedLifecycle {

	private static final Log logger = LogFactory.getLog(RequestFlowTuning.class);

	private static final Log integrationLogger = LogFactory.getLog("org.springframework.integration");

	private final ListableBeanFactory beans;

	RequestFlowTuning(ListableBeanFactory beans) {
		super(Integer.MIN_VALUE);
		this.beans = beans;
	}

	/**
	 * Runs after Spring Integration has registered its meters on every component, before
	 * any flow starts.
	 */
	@Override
	public void start() {
		super.start();
		// Read at run time, not as a bean condition, so that it also works ahead-of-time
		// processed.
		boolean timers = this.beans.getBean(TimestampProperties.class).metrics().flowTimers();
		boolean messageLogging = integrationLogger.isDebugEnabled();
		Set<String> flows = this.beans.getBeansOfType(IntegrationFlow.class, false, false).keySet();
		Map<String, IntegrationManagement> components = this.beans.getBeansOfType(IntegrationManagement.class, false,
				false);
		components.forEach((name, component) -> {
			if (flows.stream().anyMatch((flow) -> name.startsWith(flow + "."))) {
				if (!timers) {
					// null is how a component without a captor looks; its hot path then
					// skips timing.
					component.registerMetricsCaptor(null);
				}
				component.setLoggingEnabled(messageLogging);
				logger.debug("Request flow component " + name + ": timers " + timers + ", message logging "
						+ messageLogging);
			}
		});
	}

}
