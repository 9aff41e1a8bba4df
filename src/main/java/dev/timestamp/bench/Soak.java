package dev.timestamp.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.timestamp.client.Io;
import dev.timestamp.netty.EventLoops;

/**
 * {@code bench soak}: pipelined TCP, UDP and a churn of short connections (with oversized
 * requests and resets among them) against one server at once, for as long as asked. It
 * reports errors and lost replies for each part and, given {@code --server-pid}, the
 * server's RSS after the warm-up and at the end: a leak shows as growth.
 */
final class Soak {

	private final BenchOptions options;

	private final Io io;

	Soak(BenchOptions options, Io io) {
		this.options = options;
		this.io = io;
	}

	int run() throws InterruptedException {
		BenchOptions udpOptions = this.options.forUdpSoak();
		BenchStats tcpStats = new BenchStats();
		BenchStats udpStats = new BenchStats();
		try (EventLoops loops = new EventLoops(this.options.threads, "bench-io")) {
			TcpLoad tcp = new TcpLoad(this.options, tcpStats, loops);
			UdpLoad udp = new UdpLoad(udpOptions, udpStats, loops);
			ChurnLoad churn = new ChurnLoad(this.options);
			tcp.start();
			udp.start();
			if (!tcp.reachable() || !udp.reachable()) {
				this.io.err()
					.println("timestamp bench: could not reach " + this.options.host + " on TCP port "
							+ this.options.port + " and UDP port " + udpOptions.port);
				tcp.stop();
				udp.stop();
				return 1;
			}
			churn.start();
			progress("warmup", this.options.warmup, tcpStats, udpStats, churn);
			long rssBefore = rss();
			long start = System.nanoTime();
			progress("soak", this.options.duration, tcpStats, udpStats, churn);
			double seconds = (System.nanoTime() - start) / 1e9;
			churn.stop();
			tcp.stop();
			udp.stop();
			Result result = new Result(seconds, tcpStats, udpStats, churn, rssBefore, rss());
			this.io.out().println(this.options.json ? result.json() : result.text(this.options, udpOptions));
			return result.clean() ? 0 : 1;
		}
	}

	private long rss() {
		return (this.options.serverPid > 0) ? LocalProcess.rss(this.options.serverPid) : -1;
	}

	/** A progress line on standard error every five seconds. */
	private void progress(String phase, double seconds, BenchStats tcp, BenchStats udp, ChurnLoad churn)
			throws InterruptedException {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		long last = System.nanoTime();
		long lastTcp = tcp.totalAnswered.sum();
		long lastUdp = udp.totalAnswered.sum();
		long lastChurn = churn.connections.sum();
		while (true) {
			long left = end - System.nanoTime();
			if (left <= 0) {
				return;
			}
			Thread.sleep(Math.min(5000, Math.max(1, left / 1_000_000)));
			long now = System.nanoTime();
			double elapsed = (now - last) / 1e9;
			long rss = rss();
			this.io.err()
				.printf(Locale.ROOT, "%-6s tcp %,10.0f req/s   udp %,9.0f req/s   churn %,6.0f conn/s   errors %d%s%n",
						phase, (tcp.totalAnswered.sum() - lastTcp) / elapsed,
						(udp.totalAnswered.sum() - lastUdp) / elapsed, (churn.connections.sum() - lastChurn) / elapsed,
						tcp.errors() + udp.errors() + churn.errors.sum(),
						(rss > 0) ? String.format(Locale.ROOT, "   server RSS %.1f MB", rss / 1e6) : "");
			last = now;
			lastTcp = tcp.totalAnswered.sum();
			lastUdp = udp.totalAnswered.sum();
			lastChurn = churn.connections.sum();
		}
	}

	record Result(double seconds, long tcpAnswered, long tcpErrors, long tcpTimeouts, long udpAnswered, long udpErrors,
			long udpLost, long udpLate, long churnConnections, long churnAnswered, long churnRejected, long churnResets,
			long churnErrors, long rssBefore, long rssAfter) {

		Result(double seconds, BenchStats tcp, BenchStats udp, ChurnLoad churn, long rssBefore, long rssAfter) {
			this(seconds, tcp.totalAnswered.sum(), tcp.errors(), tcp.timeouts.sum(), udp.totalAnswered.sum(),
					udp.errors(), udp.lost.sum(), udp.late.sum(), churn.connections.sum(), churn.answered.sum(),
					churn.rejected.sum(), churn.resets.sum(), churn.errors.sum(), rssBefore, rssAfter);
		}

		boolean clean() {
			return this.tcpErrors == 0 && this.tcpTimeouts == 0 && this.udpErrors == 0 && this.udpLost == 0
					&& this.churnErrors == 0;
		}

		String text(BenchOptions tcp, BenchOptions udp) {
			String rss = (this.rssBefore > 0 && this.rssAfter > 0)
					? String.format(Locale.ROOT, "%.1f MB after the warm-up, %.1f MB at the end (%+.1f MB)",
							this.rssBefore / 1e6, this.rssAfter / 1e6, (this.rssAfter - this.rssBefore) / 1e6)
					: "not measured (give --server-pid)";
			return String.format(Locale.ROOT,
					"""
							soak %s  tcp port %d (%d connections, pipeline %d)  udp port %d (%d sockets)  %.0f s after a %.0f s warm-up
							tcp        answered %,d   errors %d   timeouts %d
							udp        answered %,d   errors %d   lost %d   late %d
							churn      connections %,d   answered %,d   oversized rejected as documented %,d   resets %,d   errors %d
							server RSS %s
							result     %s""",
					tcp.host, tcp.port, tcp.connections, tcp.pipeline, udp.port, udp.connections, this.seconds,
					tcp.warmup, this.tcpAnswered, this.tcpErrors, this.tcpTimeouts, this.udpAnswered, this.udpErrors,
					this.udpLost, this.udpLate, this.churnConnections, this.churnAnswered, this.churnRejected,
					this.churnResets, this.churnErrors, rss, clean() ? "clean" : "FAILED: errors or lost replies");
		}

		String json() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("mode", "soak");
			json.put("seconds", this.seconds);
			json.put("tcpAnswered", this.tcpAnswered);
			json.put("tcpErrors", this.tcpErrors);
			json.put("tcpTimeouts", this.tcpTimeouts);
			json.put("udpAnswered", this.udpAnswered);
			json.put("udpErrors", this.udpErrors);
			json.put("udpLost", this.udpLost);
			json.put("udpLate", this.udpLate);
			json.put("churnConnections", this.churnConnections);
			json.put("churnAnswered", this.churnAnswered);
			json.put("churnRejected", this.churnRejected);
			json.put("churnResets", this.churnResets);
			json.put("churnErrors", this.churnErrors);
			json.put("rssBeforeBytes", this.rssBefore);
			json.put("rssAfterBytes", this.rssAfter);
			json.put("clean", clean());
			return BenchCommand.JSON.writeValueAsString(json);
		}

	}

}
