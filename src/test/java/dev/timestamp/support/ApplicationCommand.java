package dev.timestamp.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.timestamp.TimestampServiceApplication;

/**
 * How the tests start the application: the arguments every test server gets, and the
 * command line that runs the main class in a JVM of its own.
 */
public final class ApplicationCommand {

	/** Loopback only, ephemeral ports, no banner: a test never takes a fixed port. */
	public static final List<String> TEST_ARGUMENTS = List.of("--timestamp.bind-address=127.0.0.1",
			"--timestamp.tcp.port=0", "--timestamp.udp.port=0", "--server.port=0", "--spring.main.banner-mode=off");

	private ApplicationCommand() {
	}

	/** The test arguments, each overridden by an argument of the same name. */
	public static List<String> withTestArguments(String... args) {
		Map<String, String> all = new LinkedHashMap<>();
		for (String arg : TEST_ARGUMENTS) {
			all.put(arg.substring(0, arg.indexOf('=')), arg);
		}
		for (String arg : args) {
			all.put(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg, arg);
		}
		return List.copyOf(all.values());
	}

	/** {@code java [jvmOptions] -cp <the test class path> <main class> [args]}. */
	public static List<String> java(List<String> jvmOptions, List<String> args) {
		return java(jvmOptions, TimestampServiceApplication.class, args);
	}

	/** {@code java [jvmOptions] -cp <the test class path> <mainClass> [args]}. */
	public static List<String> java(List<String> jvmOptions, Class<?> mainClass, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(args);
		return command;
	}

}
