package dev.timestamp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;

import dev.timestamp.client.Io;
import dev.timestamp.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;

/**
 * {@code bench idle}: opens {@code --connections} TCP connections that never send a byte,
 * holds them for {@code --duration} seconds, closes them, and reports what they cost the
 * server: how fast it accepted them, and, given {@code --server-pid} and
 * {@code --metrics-url}, the RSS and threads they added and whether
 * {@code timestamp_tcp_connections_active} counted them exactly, while open and after
 * they closed.
 */
final class IdleConnections {

	/** Connects in progress at once; more only fill the server's accept queue. */
	private static final int CONNECTS_IN_FLIGHT = 256;

	/** How long the server's gauge gets to reach the expected count. */
	private static final Duration SETTLE = Duration.ofSeconds(30);

	private static final String ACTIVE_GAUGE = "timestamp_tcp_connections_active";

	private final BenchOptions options;

	private final Io io;

	private final @Nullable HttpClient http;

	private final LongAdder failed = new LongAdder();

	private final LongAdder closedByServer = new LongAdder();

	private final AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();

	private volatile boolean closing;

	IdleConnections(BenchOptions options, Io io) {
		this.options = options;
		this.io = io;
		this.http = options.metricsUrl.isEmpty() ? null
				: HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	}

	int run() throws InterruptedException {
		Reading before = reading(active());
		if (this.http != null && before.active() < 0) {
			this.io.err()
				.println("timestamp bench: could not read " + ACTIVE_GAUGE + " from " + this.options.metricsUrl
						+ ": the gauge cannot be checked, so the run will not be clean");
		}
		Queue<Channel> open = new ConcurrentLinkedQueue<>();
		try (EventLoops loops = new EventLoops(this.options.threads, "bench-io")) {
			long start = System.nanoTime();
			connectAll(loops, open);
			double connectSeconds = (System.nanoTime() - start) / 1e9;
			long connected = open.size();
			this.io.err()
				.printf(Locale.ROOT, "connected %,d of %,d in %.2f s%n", connected, this.options.connections,
						connectSeconds);
			long activeWhileOpen = settle(before.active(), (active) -> active >= before.active() + connected);
			hold();
			Reading whileOpen = reading(activeWhileOpen);
			this.closing = true;
			for (Channel channel : open) {
				channel.close().syncUninterruptibly();
			}
			long activeAfter = settle(before.active(), (active) -> active <= before.active());
			Reading after = reading(activeAfter);
			Result result = new Result(this.options, connected, this.failed.sum(), this.closedByServer.sum(),
					connectSeconds, before, whileOpen, after, this.firstFailure.get());
			this.io.out().println(this.options.json ? result.json() : result.text());
			return result.clean() ? 0 : 1;
		}
	}

	private void connectAll(EventLoops loops, Queue<Channel> open) throws InterruptedException {
		Bootstrap bootstrap = new Bootstrap().group(loops.group())
			.channel(loops.socketChannelType())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.options.connectTimeout.toMillis()))
			.handler(new ServerCloseCounter());
		InetSocketAddress server = new InetSocketAddress(this.options.host, this.options.port);
		List<InetSocketAddress> locals = new ArrayList<>();
		for (String address : this.options.localAddresses) {
			locals.add(new InetSocketAddress(address, 0));
		}
		Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
		for (int i = 0; i < this.options.connections; i++) {
			inFlight.acquire();
			ChannelFuture connect = locals.isEmpty() ? bootstrap.connect(server)
					: bootstrap.connect(server, locals.get(i % locals.size()));
			connect.addListener((ChannelFuture done) -> {
				if (done.isSuccess()) {
					open.add(done.channel());
				}
				else {
					this.failed.increment();
					this.firstFailure.compareAndSet(null, String.valueOf(done.cause()));
				}
				inFlight.release();
			});
		}
		inFlight.acquire(CONNECTS_IN_FLIGHT);
	}

	private void hold() throws InterruptedException {
		long end = System.nanoTime() + (long) (this.options.duration * 1e9);
		while (System.nanoTime() < end) {
			Thread.sleep(Math.max(1, Math.min(5000, (end - System.nanoTime()) / 1_000_000)));
			this.io.err()
				.printf(Locale.ROOT, "holding   closed by the server %,d   server RSS %s   active %s%n",
						this.closedByServer.sum(), megabytes(LocalProcess.rss(this.options.serverPid)),
						count(active()));
		}
	}

	/**
	 * Waits until the server's gauge passes the test, or {@link #SETTLE} has passed; the
	 * last value read, or -1 without {@code --metrics-url}.
	 */
	private long settle(long before, LongPredicate reached) throws InterruptedException {
		if (before < 0) {
			return -1;
		}
		long deadline = System.nanoTime() + SETTLE.toNanos();
		long active = active();
		while (!reached.test(active) && System.nanoTime() < deadline) {
			Thread.sleep(50);
			active = active();
		}
		return active;
	}

	/** The server's process now, with the gauge value already read. */
	private Reading reading(long active) {
		if (this.options.gc && !LocalProcess.fullGc(this.options.serverPid)) {
			this.io.err()
				.println("timestamp bench: jcmd " + this.options.serverPid + " GC.run failed; RSS read without it");
		}
		return new Reading(LocalProcess.rss(this.options.serverPid), LocalProcess.threads(this.options.serverPid),
				active);
	}

	/** The server's {@value #ACTIVE_GAUGE}, or -1 when there is no URL or no answer. */
	private long active() {
		if (this.http == null) {
			return -1;
		}
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.options.metricsUrl)).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? gauge(response.body()) : -1;
		}
		catch (IOException | IllegalArgumentException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** The gauge's value in Prometheus text, summed over its series; -1 when absent. */
	static long gauge(String prometheusText) {
		double sum = 0;
		boolean found = false;
		for (String line : prometheusText.split("\n")) {
			if (line.startsWith(ACTIVE_GAUGE + " ") || line.startsWith(ACTIVE_GAUGE + "{")) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				found = true;
			}
		}
		return found ? Math.round(sum) : -1;
	}

	private static String megabytes(long bytes) {
		return (bytes < 0) ? "-" : String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
	}

	private static String count(long value) {
		return (value < 0) ? "-" : String.format(Locale.ROOT, "%,d", value);
	}

	/** Counts connections the server closed while this side still held them. */
	@ChannelHandler.Sharable
	private final class ServerCloseCounter extends ChannelInboundHandlerAdapter {

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (!IdleConnections.this.closing) {
				IdleConnections.this.closedByServer.increment();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/** The server as seen at one moment; -1 for what could not be read. */
	record Reading(long rss, long threads, long active) {
	}

	record Result(BenchOptions options, long connected, long failed, long closedByServer, double connectSeconds,
			Reading before, Reading whileOpen, Reading after, @Nullable String firstFailure) {

		/** Whether the gauge counted every connection while open and none after. */
		@Nullable Boolean gaugeExact() {
			if (this.before.active() < 0 || this.whileOpen.active() < 0 || this.after.active() < 0) {
				return null;
			}
			return this.whileOpen.active() == this.before.active() + this.connected
					&& this.after.active() == this.before.active();
		}

		/**
		 * Every connection opened and stayed open, and the gauge, when a metrics URL was
		 * given, could be read and was exact.
		 */
		boolean clean() {
			boolean gaugeAsked = !this.options.metricsUrl.isEmpty();
			return this.connected == this.options.connections && this.closedByServer == 0
					&& (!gaugeAsked || Boolean.TRUE.equals(gaugeExact()));
		}

		double acceptRate() {
			return this.connected / this.connectSeconds;
		}

		/** Bytes of server RSS per connection while they were open; -1 when unknown. */
		double rssPerConnection() {
			if (this.before.rss() < 0 || this.whileOpen.rss() < 0 || this.connected == 0) {
				return -1;
			}
			return (double) (this.whileOpen.rss() - this.before.rss()) / this.connected;
		}

		long threadsAdded() {
			return (this.before.threads() < 0 || this.whileOpen.threads() < 0) ? -1
					: this.whileOpen.threads() - this.before.threads();
		}

		String text() {
			StringBuilder text = new StringBuilder();
			text.append(String.format(Locale.ROOT, "idle %s:%d  connections %,d%n", this.options.host,
					this.options.port, this.options.connections));
			text.append(String.format(Locale.ROOT,
					"connected  %,d in %.2f s = %,.0f connections/s   failed %,d   closed by the server %,d%n",
					this.connected, this.connectSeconds, acceptRate(), this.failed, this.closedByServer));
			if (this.firstFailure != null) {
				text.append("first failure   ").append(this.firstFailure).append(String.format("%n"));
			}
			if (this.before.rss() >= 0) {
				text.append(String.format(Locale.ROOT,
						"server RSS %s before, %s while open (%,.0f bytes per connection), %s after%s%n",
						megabytes(this.before.rss()), megabytes(this.whileOpen.rss()), rssPerConnection(),
						megabytes(this.after.rss()), this.options.gc ? ", each after a full GC" : ""));
				text.append(String.format(Locale.ROOT, "threads    %d before, %d while open (%+d)%n",
						this.before.threads(), this.whileOpen.threads(), threadsAdded()));
			}
			if (gaugeExact() != null) {
				text.append(String.format(Locale.ROOT, "active     %,d before, %,d while open, %,d after: %s%n",
						this.before.active(), this.whileOpen.active(), this.after.active(),
						Boolean.TRUE.equals(gaugeExact()) ? "exact" : "NOT exact"));
			}
			text.append("result     ").append(clean() ? "clean" : "NOT clean");
			return text.toString();
		}

		String json() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("mode", "idle");
			json.put("host", this.options.host);
			json.put("port", this.options.port);
			json.put("connections", this.options.connections);
			json.put("connected", this.connected);
			json.put("failed", this.failed);
			json.put("closedByServer", this.closedByServer);
			json.put("firstFailure", this.firstFailure);
			json.put("connectSeconds", this.connectSeconds);
			json.put("acceptRate", acceptRate());
			json.put("rssBeforeBytes", this.before.rss());
			json.put("rssWhileOpenBytes", this.whileOpen.rss());
			json.put("rssAfterBytes", this.after.rss());
			json.put("rssPerConnectionBytes", rssPerConnection());
			json.put("fullGcBeforeReadings", this.options.gc);
			json.put("threadsBefore", this.before.threads());
			json.put("threadsWhileOpen", this.whileOpen.threads());
			json.put("activeBefore", this.before.active());
			json.put("activeWhileOpen", this.whileOpen.active());
			json.put("activeAfter", this.after.active());
			json.put("gaugeExact", gaugeExact());
			json.put("clean", clean());
			return BenchCommand.JSON.writeValueAsString(json);
		}

	}

}
