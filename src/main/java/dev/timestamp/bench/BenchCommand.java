package dev.timestamp.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.timestamp.client.Io;
import dev.timestamp.netty.EventLoops;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench tcp|udp}: warm up, measure for a fixed time, drain, report.
 * {@code bench soak}: TCP, UDP and churn at once for a long time; see {@link Soak}.
 * {@code bench idle}: many connections that send nothing; see {@link IdleConnections}.
 */
@Command(name = "bench", description = "Measure a timestamp server: closed-loop load that checks every reply.",
		mixinStandardHelpOptions = true)
public class BenchCommand implements Callable<Integer> {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Parameters(index = "0", paramLabel = "tcp|udp|churn|soak|idle",
			description = "tcp or udp: persistent load; churn: a new TCP connection per request; soak: pipelined TCP, UDP and short connections with bad requests at once; idle: many TCP connections that send nothing, held for --duration.")
	String mode;

	@Mixin
	BenchOptions options;

	private final Io io;

	public BenchCommand(Io io) {
		this.io = io;
	}

	@Override
	public Integer call() throws InterruptedException {
		if (!List.of("tcp", "udp", "churn", "soak", "idle").contains(this.mode)) {
			this.io.err()
				.println("timestamp bench: the mode must be tcp, udp, churn, soak or idle, not '" + this.mode + "'");
			return 2;
		}
		String problem = this.options.problem(this.mode);
		if (problem != null) {
			return fail(problem, 2);
		}
		if (this.mode.equals("soak")) {
			return new Soak(this.options, this.io).run();
		}
		if (this.mode.equals("idle")) {
			return new IdleConnections(this.options, this.io).run();
		}
		BenchStats stats = new BenchStats();
		try (EventLoops loops = new EventLoops(this.options.threads, "bench-io")) {
			Load load = switch (this.mode) {
				case "tcp" -> new TcpLoad(this.options, stats, loops);
				case "churn" -> new TcpChurnLoad(this.options, stats, loops);
				default -> new UdpLoad(this.options, stats, loops);
			};
			load.start();
			if (!load.reachable()) {
				return fail("could not reach " + this.mode + " " + this.options.host + ":" + this.options.port, 1);
			}
			run("warmup", this.options.warmup, stats);
			stats.startWindow();
			long start = System.nanoTime();
			run("measure", this.options.duration, stats);
			stats.endWindow();
			double seconds = (System.nanoTime() - start) / 1e9;
			load.stop();
			Result result = new Result(this.mode, this.options, seconds, stats);
			this.io.out().println(this.options.json ? result.json() : result.text());
			return result.clean() ? 0 : 1;
		}
	}

	/**
	 * Reports a run that could not start: one line on standard error and, with
	 * {@code --json}, one JSON object on standard output, so that scripts always get one.
	 */
	private int fail(String problem, int exitCode) {
		this.io.err().println("timestamp bench: " + problem);
		if (this.options.json) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("mode", this.mode);
			error.put("host", this.options.host);
			error.put("port", this.options.port);
			error.put("error", problem);
			this.io.out().println(JSON.writeValueAsString(error));
		}
		return exitCode;
	}

	/** Lets the load run, with a progress line on standard error every second. */
	private void run(String phase, double seconds, BenchStats stats) throws InterruptedException {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		long lastCount = stats.totalAnswered.sum();
		long lastTime = System.nanoTime();
		while (true) {
			long left = end - System.nanoTime();
			if (left <= 0) {
				return;
			}
			Thread.sleep(Math.min(1000, Math.max(1, left / 1_000_000)));
			long now = System.nanoTime();
			long count = stats.totalAnswered.sum();
			Histogram interval = stats.interval();
			String p99 = (interval.getTotalCount() > 0)
					? String.format(Locale.ROOT, "p99 %,9.1f us", BenchStats.micros(interval, 99)) : "p99         - us";
			this.io.err()
				.printf(Locale.ROOT, "%-7s %,12.0f req/s   %s   errors %d%n", phase,
						(count - lastCount) / ((now - lastTime) / 1e9), p99, stats.errors());
			lastCount = count;
			lastTime = now;
		}
	}

	/**
	 * The report: what was measured inside the window, and what went wrong over the whole
	 * run.
	 */
	record Result(String mode, BenchOptions options, double seconds, long requests, Histogram latency, long errors,
			long badReplies, long disconnects, long connectFailures, long timeouts, long lost, long late,
			long totalAnswered) {

		Result(String mode, BenchOptions options, double seconds, BenchStats stats) {
			this(mode, options, seconds, stats.windowRequests.sum(), stats.window(), stats.errors(),
					stats.badReplies.sum(), stats.disconnects.sum(), stats.connectFailures.sum(), stats.timeouts.sum(),
					stats.lost.sum(), stats.late.sum(), stats.totalAnswered.sum());
		}

		boolean clean() {
			return this.errors == 0 && this.timeouts == 0 && this.lost == 0;
		}

		double rps() {
			return this.requests / this.seconds;
		}

		String text() {
			return String.format(Locale.ROOT,
					"""
							%s %s:%d  connections %d  pipeline %d  size %d  warmup %.0fs
							requests   %,d in %.2f s = %,.0f req/s
							latency    p50 %,.1f us   p99 %,.1f us   p99.9 %,.1f us   max %,.1f us
							errors     %d (bad replies %d, disconnects %d, connect failures %d)   timeouts %d   lost %d   late %d
							answered   %,d over the whole run, warm-up included""",
					this.mode, this.options.host, this.options.port, this.options.connections, this.options.pipeline,
					this.options.size, this.options.warmup, this.requests, this.seconds, rps(),
					BenchStats.micros(this.latency, 50), BenchStats.micros(this.latency, 99),
					BenchStats.micros(this.latency, 99.9), BenchStats.micros(this.latency, 100), this.errors,
					this.badReplies, this.disconnects, this.connectFailures, this.timeouts, this.lost, this.late,
					this.totalAnswered);
		}

		String json() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("mode", this.mode);
			json.put("host", this.options.host);
			json.put("port", this.options.port);
			json.put("connections", this.options.connections);
			json.put("pipeline", this.options.pipeline);
			json.put("size", this.options.size);
			json.put("warmupSeconds", this.options.warmup);
			json.put("seconds", this.seconds);
			json.put("requests", this.requests);
			json.put("rps", rps());
			json.put("p50Us", BenchStats.micros(this.latency, 50));
			json.put("p99Us", BenchStats.micros(this.latency, 99));
			json.put("p999Us", BenchStats.micros(this.latency, 99.9));
			json.put("maxUs", BenchStats.micros(this.latency, 100));
			json.put("errors", this.errors);
			json.put("badReplies", this.badReplies);
			json.put("disconnects", this.disconnects);
			json.put("connectFailures", this.connectFailures);
			json.put("timeouts", this.timeouts);
			json.put("lost", this.lost);
			json.put("late", this.late);
			json.put("totalAnswered", this.totalAnswered);
			return JSON.writeValueAsString(json);
		}

	}

}
