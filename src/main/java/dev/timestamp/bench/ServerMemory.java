package dev.timestamp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident set size of a process on this machine, from {@code /proc/<pid>/status}
 * (Linux only).
 */
final class ServerMemory {

	private ServerMemory() {
	}

	/** The RSS in bytes, or -1 when it cannot be read. */
	static long rss(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
			return -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

}
