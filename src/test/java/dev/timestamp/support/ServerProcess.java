package dev.timestamp.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM, for what only a real process shows (JVM options,
 * signals). Its output is collected line by line.
 */
public final class ServerProcess implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private ServerProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		}, "server-process-output");
		reader.setDaemon(true);
		reader.start();
		this.reader = reader;
	}

	/** Runs a full command line in a directory. */
	public static ServerProcess launch(List<String> command, java.io.File directory) throws IOException {
		Process process = new ProcessBuilder(command).directory(directory).redirectErrorStream(true).start();
		process.getOutputStream().close();
		return new ServerProcess(process);
	}

	public static ServerProcess start(List<String> jvmOptions, String... args) throws IOException {
		return startUnder(List.of(), jvmOptions, args);
	}

	/** Starts it through a launcher command, such as {@code prlimit --nofile=256:256}. */
	public static ServerProcess startUnder(List<String> launcher, List<String> jvmOptions, String... args)
			throws IOException {
		List<String> all = ApplicationCommand.withTestArguments(args);
		List<String> command = new ArrayList<>(launcher);
		command.addAll(ApplicationCommand.java(jvmOptions, all));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		return new ServerProcess(process);
	}

	/** Waits for an output line matching the pattern and returns its first group. */
	public String await(String regex, Duration timeout) throws InterruptedException {
		Pattern pattern = Pattern.compile(regex);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : this.lines) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					return (matcher.groupCount() > 0) ? matcher.group(1) : line;
				}
			}
			if (!this.process.isAlive()) {
				break;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no line matching " + regex + " in:\n" + String.join("\n", this.lines));
	}

	public String output() {
		return String.join("\n", this.lines);
	}

	public long pid() {
		return this.process.pid();
	}

	/** Sends SIGTERM and returns at once. */
	public void signalTerm() {
		// Through the handle: Process.destroy() would also close our end of its output.
		this.process.toHandle().destroy();
	}

	/** The exit code, once the process has ended. */
	public int waitForExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("still running after " + timeout + ":\n" + output());
		}
		// Everything it printed before it ended.
		this.reader.join(5000);
		return this.process.exitValue();
	}

	/** Sends SIGTERM and waits for the exit code. */
	public int stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		return this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			stop();
		}
	}

}
