package dev.timestamp.startup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import dev.timestamp.config.SettingNames;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelBindException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Names the HTTP port's property and address when it cannot be bound (taken, or an
 * address that is not this host's), as the TCP and UDP listeners' messages do; Spring
 * Boot reports the first without either and the second with a stack trace.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class HttpBindFailureAnalyzer implements FailureAnalyzer {

	private final @Nullable Environment environment;

	HttpBindFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PortInUseException inUse) {
				return analyze(failure, inUse.getPort(), null);
			}
			if (cause instanceof ChannelBindException bind) {
				return analyze(failure, bind.localPort(), bind.localHost());
			}
		}
		return null;
	}

	private FailureAnalysis analyze(Throwable failure, int port, @Nullable String host) {
		boolean management = this.environment != null
				&& Objects.equals(this.environment.getProperty("management.server.port"), String.valueOf(port))
				&& !Objects.equals(this.environment.getProperty("server.port"), String.valueOf(port));
		String prefix = management ? "management.server" : "server";
		String address = (host != null) ? host
				: (this.environment != null) ? this.environment.getProperty(prefix + ".address", "0.0.0.0") : "0.0.0.0";
		String bind = "The HTTP (actuator) listener could not bind " + address + ":" + port + ": ";
		String listener = ownListener(port);
		if (listener != null) {
			return new FailureAnalysis(bind + port + " is this service's own " + listener + ", which opens first.",
					"Set '" + prefix + ".port' to another port (0 picks a free one): the HTTP port and the listeners"
							+ " each need a port of their own.",
					failure);
		}
		InetAddress inetAddress = inetAddress(address);
		BindFailure kind = BindFailure.of(inetAddress, failure);
		return new FailureAnalysis(
				bind + ((kind == BindFailure.PORT_IN_USE) ? "the port is already in use." : rootMessage(failure)),
				kind.action("TCP", inetAddress, port, prefix + ".port", prefix + ".address"), failure);
	}

	private static InetAddress inetAddress(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			return InetAddress.getLoopbackAddress();
		}
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

	/** The TCP or TLS listener of this service that has the port, if one has it. */
	private @Nullable String ownListener(int port) {
		if (this.environment == null || port == 0) {
			return null;
		}
		if (listens("timestamp.tcp", port)) {
			return "TCP port (timestamp.tcp.port)";
		}
		if (listens("timestamp.tls", port)) {
			return "TLS port (timestamp.tls.port)";
		}
		return null;
	}

	private boolean listens(String prefix, int port) {
		Environment environment = Objects.requireNonNull(this.environment);
		return environment.getProperty(prefix + ".enabled", Boolean.class,
				Boolean.parseBoolean(SettingNames.defaultOf(prefix + ".enabled")))
				&& environment.getProperty(prefix + ".port", Integer.class,
						Integer.parseInt(SettingNames.defaultOf(prefix + ".port"))) == port;
	}

}
