package dev.timestamp;

import java.io.File;

import dev.timestamp.client.Io;
import io.netty.util.ResourceLeakDetector;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.boot.webflux.autoconfigure.ReactiveMultipartAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration;
import org.springframework.util.ClassUtils;

/**
 * A TCP and UDP timestamp echo server: every request is answered with
 * {@code [<timestamp>] <request>}.
 * <p>
 * The excluded auto-configurations match but serve nothing here, and each costs start-up
 * time: no aspects, no multipart or sessions on four actuator endpoints, no
 * {@code @Scheduled} methods. (The settings validate themselves: no bean-validation
 * library is on the class path.)
 */
@SpringBootApplication(exclude = { AopAutoConfiguration.class, ReactiveMultipartAutoConfiguration.class,
		WebSessionIdResolverAutoConfiguration.class, ScheduledTasksObservationAutoConfiguration.class })
@ConfigurationPropertiesScan
public class TimestampServiceApplication {

	public static void main(String[] args) {
		if (Cli.handles(args)) {
			System.exit(Cli.run(Io.system(), args));
		}
		exitWithZeroOn("TERM");
		exitWithZeroOn("INT");
		withoutNettyLeakDetectionUnlessAsked();
		aheadOfTimeWhenPackaged();
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
	 * The packaged jar carries the application's Spring AOT output (bean definitions
	 * worked out at build time), which spares every start the parsing of configuration
	 * classes and the evaluation of their conditions. A jar uses it unless
	 * {@code -Dspring.aot.enabled=false} says otherwise. Run from a build directory (an
	 * IDE, {@code spring-boot:run}) the application starts the ordinary way: the AOT
	 * output there may be older than the classes.
	 */
	private static void aheadOfTimeWhenPackaged() {
		if (System.getProperty(AotDetector.AOT_ENABLED) == null && isPackaged() && ClassUtils
			.isPresent(TimestampServiceApplication.class.getName() + "__ApplicationContextInitializer", null)) {
			System.setProperty(AotDetector.AOT_ENABLED, "true");
		}
	}

	private static boolean isPackaged() {
		File source = new ApplicationHome(TimestampServiceApplication.class).getSource();
		return source != null && source.isFile();
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
