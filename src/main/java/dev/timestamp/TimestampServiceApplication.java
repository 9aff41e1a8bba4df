package dev.timestamp;

import dev.timestamp.client.Io;
import io.netty.util.ResourceLeakDetector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A TCP and UDP timestamp echo server: every request is answered with
 * {@code [<timestamp>] <request>}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TimestampServiceApplication {

	public static void main(String[] args) {
		if (Cli.handles(args)) {
			System.exit(Cli.run(Io.system(), args));
		}
		exitWithZeroOn("TERM");
		exitWithZeroOn("INT");
		withoutNettyLeakDetectionUnlessAsked();
		SpringApplication.run(TimestampServiceApplication.class, args);
	}

	/**
	 * Netty's leak detector records a stack trace for one buffer in 128, which costs
	 * about 3 % of a request's CPU time here. The tests run with it (they do not go
	 * through main); {@code -Dio.netty.leakDetection.level=simple} turns it back on.
	 */
	private static void withoutNettyLeakDetectionUnlessAsked() {
		if (System.getProperty("io.netty.leakDetection.level") == null
				&& System.getProperty("io.netty.leakDetectionLevel") == null) {
			ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
		}
	}

	/**
	 * SIGTERM is how Kubernetes and systemd ask a service to stop, and SIGINT (Ctrl-C) is
	 * how an operator at a terminal does, so both are a normal exit: the shutdown hooks
	 * drain the transports as usual, and the exit code is 0 instead of the JVM's 143 or
	 * 130.
	 */
	private static void exitWithZeroOn(String signal) {
		try {
			sun.misc.Signal.handle(new sun.misc.Signal(signal), (received) -> System.exit(0));
		}
		catch (IllegalArgumentException ex) {
			// No such signal on this platform: the JVM's default handling stays.
		}
	}

}
