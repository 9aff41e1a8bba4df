package dev.timestamp.clock;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.commons.net.ntp.TimeInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Measures the clock against NTP servers with SNTP (Apache Commons Net's
 * {@code NTPUDPClient}), each server every interval, on a thread of its own, off the
 * event loops. It only measures: the clock is never adjusted. Per server it publishes the
 * offset, the round trip, the stratum and the leap indicator of the last answer, and
 * counts the queries that failed.
 */
public class NtpProbe implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog("dev.timestamp.clock");

	private final List<Server> servers = new ArrayList<>();

	private final Duration interval;

	private final Duration timeout;

	private final LongSupplier nanoTime;

	private @Nullable ScheduledExecutorService executor;

	public NtpProbe(List<String> servers, Duration interval, Duration timeout, MeterRegistry registry,
			LongSupplier nanoTime) {
		for (String server : servers) {
			this.servers.add(new Server(server, registry));
		}
		this.interval = interval;
		this.timeout = timeout;
		this.nanoTime = nanoTime;
	}

	public boolean hasServers() {
		return !this.servers.isEmpty();
	}

	/**
	 * The freshest answer of a server that answered within the last three intervals and
	 * whose offset is smallest, or {@code null} when none did.
	 */
	public @Nullable Answer best() {
		long now = this.nanoTime.getAsLong();
		long window = this.interval.multipliedBy(3).toNanos();
		Answer best = null;
		for (Server server : this.servers) {
			Answer answer = server.last;
			if (answer != null && now - answer.atNanos() <= window
					&& (best == null || Math.abs(answer.offsetSeconds()) < Math.abs(best.offsetSeconds()))) {
				best = answer;
			}
		}
		return best;
	}

	/** Every server's last answer, for the health details. */
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		for (Server server : this.servers) {
			Answer answer = server.last;
			Map<String, Object> detail = new LinkedHashMap<>();
			if (answer != null) {
				detail.put("offsetSeconds", answer.offsetSeconds());
				detail.put("roundTripSeconds", answer.roundTripSeconds());
				detail.put("stratum", answer.stratum());
				detail.put("secondsSinceAnswer", (this.nanoTime.getAsLong() - answer.atNanos()) / 1e9);
			}
			detail.put("failures", (long) server.failures.count());
			details.put(server.name, detail);
		}
		return details;
	}

	@Override
	public void start() {
		if (this.servers.isEmpty()) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "clock-ntp");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::queryAll, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
		logger.info("Measuring the clock against NTP " + this.servers.stream().map((server) -> server.name).toList()
				+ " every " + this.interval.toSeconds() + " s");
	}

	private void queryAll() {
		for (Server server : this.servers) {
			try {
				server.query(this.timeout, this.nanoTime);
			}
			catch (IOException | RuntimeException ex) {
				server.failures.increment();
				if (logger.isDebugEnabled()) {
					logger.debug("NTP query to " + server.name + " failed: " + ex);
				}
			}
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * A server's answer.
	 *
	 * @param server {@code host:port}
	 * @param offsetSeconds the local clock minus the server's
	 * @param roundTripSeconds the query's round trip, less the server's own time
	 * @param stratum the server's stratum
	 * @param leap the leap indicator: 0 none, 1 insert, 2 delete, 3 unsynchronized
	 * @param atNanos when it arrived, on the monotonic clock
	 */
	public record Answer(String server, double offsetSeconds, double roundTripSeconds, int stratum, int leap,
			long atNanos) {
	}

	/** One server, its meters and its last answer. */
	private static final class Server {

		private final String name;

		private final String host;

		private final int port;

		private final Counter failures;

		private volatile @Nullable Answer last;

		Server(String spec, MeterRegistry registry) {
			int colon = spec.lastIndexOf(':');
			boolean hasPort = colon > 0 && (spec.indexOf(':') == colon || spec.startsWith("["));
			String host = hasPort ? spec.substring(0, colon) : spec;
			this.host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
			this.port = hasPort ? Integer.parseInt(spec.substring(colon + 1)) : 123;
			this.name = host + ":" + this.port;
			this.failures = Counter.builder("timestamp.clock.ntp.failures")
				.description("NTP queries that got no usable answer")
				.tag("server", this.name)
				.register(registry);
			gauge(registry, "timestamp.clock.ntp.offset", "seconds", "The local clock minus the server's",
					Answer::offsetSeconds);
			gauge(registry, "timestamp.clock.ntp.round.trip", "seconds", "The round trip of the last query",
					Answer::roundTripSeconds);
			gauge(registry, "timestamp.clock.ntp.stratum", null, "The server's stratum", Answer::stratum);
			gauge(registry, "timestamp.clock.ntp.leap", null,
					"The server's leap indicator: 0 none, 1 insert, 2 delete, 3 unsynchronized", Answer::leap);
		}

		private void gauge(MeterRegistry registry, String name, @Nullable String unit, String description,
				ToDoubleFunction<Answer> value) {
			Gauge.builder(name, this, (server) -> {
				Answer answer = server.last;
				return (answer != null) ? value.applyAsDouble(answer) : Double.NaN;
			}).baseUnit(unit).description(description).tag("server", this.name).register(registry);
		}

		void query(Duration timeout, LongSupplier nanoTime) throws IOException {
			NTPUDPClient client = new NTPUDPClient();
			client.setDefaultTimeout(timeout);
			try {
				client.open();
				TimeInfo info = client.getTime(InetAddress.getByName(this.host), this.port);
				info.computeDetails();
				Long offset = info.getOffset();
				Long delay = info.getDelay();
				int stratum = info.getMessage().getStratum();
				if (offset == null || delay == null || stratum == 0) {
					// No offset, or a kiss-o'-death (stratum 0): no usable answer.
					throw new IOException("no usable answer (stratum " + stratum + ")");
				}
				// Commons Net gives local minus server as the server's offset from us.
				this.last = new Answer(this.name, -offset / 1000.0, delay / 1000.0, stratum,
						info.getMessage().getLeapIndicator(), nanoTime.getAsLong());
			}
			finally {
				client.close();
			}
		}

	}

}
