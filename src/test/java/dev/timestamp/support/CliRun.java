package dev.timestamp.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.timestamp.Cli;
import dev.timestamp.client.Io;

/**
 * Runs a command-line tool in-process with the given standard input, capturing its
 * output.
 */
public record CliRun(int exitCode, String out, String err) {

	public static CliRun piped(String stdin, String... args) {
		return run(false, stdin.getBytes(StandardCharsets.UTF_8), args);
	}

	public static CliRun interactive(String typed, String... args) {
		return run(true, typed.getBytes(StandardCharsets.UTF_8), args);
	}

	public static CliRun run(boolean interactive, byte[] stdin, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exitCode = Cli.run(new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true),
				new PrintStream(err, true), interactive), args);
		return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	public String[] outLines() {
		return this.out.isEmpty() ? new String[0] : this.out.split("\n", -1);
	}

}
