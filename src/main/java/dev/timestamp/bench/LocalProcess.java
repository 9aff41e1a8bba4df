package dev.timestamp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process on this machine as {@code /proc/<pid>/status} describes it (Linux only): its
 * resident set size and its number of threads.
 */
final class LocalProcess {

	private LocalProcess() {
	}

	/** The RSS in bytes, or -1 when it cannot be read. */
	static long rss(long pid) {
		long kilobytes = status(pid, "VmRSS:");
		return (kilobytes >= 0) ? kilobytes * 1024 : -1;
	}

	/** The number of threads, or -1 when it cannot be read. */
	static long threads(long pid) {
		return status(pid, "Threads:");
	}

	/**
	 * Asks the process for a full garbage collection with {@code jcmd <pid> GC.run} (the
	 * {@code jcmd} of this JDK, else the one on the path); whether it ran.
	 */
	static boolean fullGc(long pid) {
		Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		String jcmd = Files.isExecutable(own) ? own.toString() : "jcmd";
		try {
			Process process = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static long status(long pid, String field) {
		if (pid <= 0) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
			return -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

}
