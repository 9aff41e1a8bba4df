package dev.timestamp.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.FreePorts;
import dev.timestamp.support.Installed;

/**
 * A real NTP server for the tests: Debian's {@code chronyd} serving this machine's clock
 * on a free port of 127.0.0.1 at stratum 8 ({@code local stratum 8}), without ever
 * touching the clock ({@code -x}).
 */
final class Chronyd implements AutoCloseable {

	private final Path program;

	private final Path dir;

	private final int port;

	private Process process;

	private Chronyd(Path program, Path dir, int port) {
		this.program = program;
		this.dir = dir;
		this.port = port;
	}

	static Chronyd start(Path dir) throws IOException {
		Chronyd chronyd = new Chronyd(Installed.program("chronyd", "chrony"), dir, FreePorts.next());
		chronyd.start();
		return chronyd;
	}

	/** Starts it (again, after {@link #stop()}) on the same port. */
	void start() throws IOException {
		Path conf = this.dir.resolve("chrony.conf");
		Files.writeString(conf,
				String.join("\n", "port " + this.port, "cmdport 0", "local stratum 8", "allow 127.0.0.1",
						"bindaddress 127.0.0.1", "pidfile " + this.dir.resolve("chronyd.pid"),
						"driftfile " + this.dir.resolve("drift"), ""));
		List<String> command = new ArrayList<>(List.of(this.program.toString(), "-x", "-d", "-f", conf.toString()));
		// As root it would drop to the _chrony user, who cannot write the test's
		// directory.
		command.addAll("root".equals(System.getProperty("user.name")) ? List.of("-u", "root") : List.of("-U"));
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("chronyd.log").toFile())
			.start();
	}

	void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	String server() {
		return "127.0.0.1:" + this.port;
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

}
