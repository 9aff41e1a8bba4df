package dev.timestamp.netty;

import java.util.Objects;

import dev.timestamp.config.TimestampProperties;
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
		String listener = ownListener(cause.getPort());
		if (listener != null) {
			return new FailureAnalysis(
					"The HTTP (actuator) listener could not bind " + address + ":" + port + ": " + port
							+ " is this service's own " + listener + ", which opens first.",
					"Set '" + prefix + ".port' to another port (0 picks a free one): the HTTP port and the listeners"
							+ " each need a port of their own.",
					cause);
		}
		return new FailureAnalysis(
				"The HTTP (actuator) listener could not bind " + address + ":" + port + ": the port is already in use.",
				"Stop the process that uses TCP port " + port + ", or set '" + prefix + ".port' to another port"
						+ " (0 picks a free one) or '" + prefix + ".address' to another address.",
				cause);
	}

	/** The TCP or TLS listener of this service that has the port, if one has it. */
	private @Nullable String ownListener(int port) {
		if (this.environment == null) {
			return null;
		}
		TimestampProperties defaults = new TimestampProperties();
		if (listens("timestamp.tcp", defaults.getTcp().isEnabled(), defaults.getTcp().getPort(), port)) {
			return "TCP port (timestamp.tcp.port)";
		}
		if (listens("timestamp.tls", defaults.getTls().isEnabled(), defaults.getTls().getPort(), port)) {
			return "TLS port (timestamp.tls.port)";
		}
		return null;
	}

	private boolean listens(String prefix, boolean enabledByDefault, int defaultPort, int port) {
		Environment environment = Objects.requireNonNull(this.environment);
		return environment.getProperty(prefix + ".enabled", Boolean.class, enabledByDefault)
				&& environment.getProperty(prefix + ".port", Integer.class, defaultPort) == port;
	}

}
