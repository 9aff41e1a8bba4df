package dev.timestamp.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the application's main class as a separate JVM, as {@code java -jar} would, with
 * standard input closed; returns its exit code and everything it printed.
 */
public record JavaProcess(int exitCode, String output) {

	public static JavaProcess run(String... args) throws IOException, InterruptedException {
		return run(Map.of(), args);
	}

	/** Runs it with these environment variables added. */
	public static JavaProcess run(Map<String, String> environment, String... args)
			throws IOException, InterruptedException {
		List<String> command = ApplicationCommand.java(List.of(), List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		return new JavaProcess(process.waitFor(), new String(output, StandardCharsets.UTF_8));
	}

}
