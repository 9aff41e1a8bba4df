package dev.timestamp.netty;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Names the HTTP port's property and address when it is taken, as the TCP and UDP
 * listeners' messages do; Spring Boot's own message names neither.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class HttpPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> {

	private final @Nullable Environment environment;

	HttpPortInUseFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
		String port = String.valueOf(cause.getPort());
		boolean management = this.environment != null
				&& Objects.equals(this.environment.getProperty("management.server.port"), port)
				&& !Objects.equals(this.environment.getProperty("server.port"), port);
		String prefix = management ? "management.server" : "server";
		String address = (this.environment != null) ? this.environment.getProperty(prefix + ".address", "0.0.0.0")
				: "0.0.0.0";
		return new FailureAnalysis(
				"The HTTP (actuator) listener could not bind " + address + ":" + port + ": the port is already in use.",
				"Stop the process that uses TCP port " + port + ", or set '" + prefix + ".port' to another port"
						+ " (0 picks a free one) or '" + prefix + ".address' to another address.",
				cause);
	}

}
