package dev.timestamp.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.client.DurationConverter;
import dev.timestamp.client.FramingConverter;
import dev.timestamp.client.PortConverter;
import dev.timestamp.client.TcpConnectOptions;
import dev.timestamp.framing.Framing;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load's shape; defaults as the C load generator's.
 */
public class BenchOptions {

	@Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
	String host;

	@Option(names = "--port", defaultValue = "21567", converter = PortConverter.class,
			description = "Server port (default: ${DEFAULT-VALUE}).")
	int port;

	@Option(names = { "-c", "--connections" }, defaultValue = "64",
			description = "TCP connections or UDP sockets (default: ${DEFAULT-VALUE}).")
	int connections;

	@Option(names = { "-p", "--pipeline" }, defaultValue = "1",
			description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
	int pipeline;

	@Option(names = { "-s", "--size" }, defaultValue = "16", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
	int size;

	@Option(names = { "-d", "--duration" }, defaultValue = "10",
			description = "Seconds measured; idle: seconds the connections are held (default: ${DEFAULT-VALUE}).")
	double duration;

	@Option(names = { "-w", "--warmup" }, defaultValue = "2",
			description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
	double warmup;

	@Option(names = "--timeout", defaultValue = "1s", converter = DurationConverter.class,
			description = "A request without a reply for this long is a timeout (TCP) or lost (UDP) (default: ${DEFAULT-VALUE}).")
	Duration timeout;

	@Option(names = "--framing", defaultValue = "line", converter = FramingConverter.class,
			description = "TCP framing, as the server's (line, crlf, stx-etx, length-header; default: ${DEFAULT-VALUE}).")
	Framing framing;

	@Option(names = { "-T", "--threads" }, defaultValue = "1",
			description = "Event-loop threads generating load (default: ${DEFAULT-VALUE}).")
	int threads;

	@Option(names = "--json", description = "Print the result as one JSON object.")
	boolean json;

	@Option(names = "--udp-port", defaultValue = "-1",
			description = "soak: the server's UDP port (default: the same as --port).")
	int udpPort;

	@Mixin
	TcpConnectOptions connect = new TcpConnectOptions();

	@Option(names = "--server-pid", defaultValue = "0",
			description = "soak and idle: the server's process id on this machine, to report its RSS (and, idle, its threads) before and after.")
	long serverPid;

	@Option(names = "--metrics-url", defaultValue = "",
			description = "idle: the server's Prometheus endpoint (http://host:8080/actuator/prometheus), to check that timestamp_tcp_connections_active counts every connection.")
	String metricsUrl = "";

	@Option(names = "--gc",
			description = "idle: before each reading, a full garbage collection in the server (jcmd <pid> GC.run; needs --server-pid and a JDK), so that its RSS reflects live objects.")
	boolean gc;

	@Option(names = "--connect-timeout", defaultValue = "10s", converter = DurationConverter.class,
			description = "idle: a connect taking longer fails; the kernel resends a dropped SYN after 1 s, then 3 s (default: ${DEFAULT-VALUE}).")
	Duration connectTimeout;

	@Option(names = "--local-addresses", split = ",", paramLabel = "ADDRESS",
			description = "idle: local addresses to connect from, in turn (one address has about 28,000 ports for one server port).")
	List<String> localAddresses = new ArrayList<>();

	@Option(names = "--max-frame-bytes", defaultValue = "65536",
			description = "soak: the server's timestamp.tcp.max-frame-bytes, to send requests just over it (default: ${DEFAULT-VALUE}).")
	int maxFrameBytes;

	/** The UDP part of a soak: a quarter of the sockets, one request in flight each. */
	BenchOptions forUdpSoak() {
		BenchOptions udp = new BenchOptions();
		udp.host = this.host;
		udp.port = (this.udpPort > 0) ? this.udpPort : this.port;
		udp.connections = Math.max(1, this.connections / 4);
		udp.pipeline = 1;
		udp.size = this.size;
		udp.duration = this.duration;
		udp.warmup = this.warmup;
		udp.timeout = this.timeout;
		udp.framing = this.framing;
		udp.threads = this.threads;
		return udp;
	}

	/** A problem with the options, or {@code null}. */
	String problem(String mode) {
		String tlsProblem = this.connect.tls().problem();
		if (tlsProblem != null) {
			return tlsProblem;
		}
		if (this.connect.tls().enabled() && !mode.equals("tcp") && !mode.equals("churn")) {
			return "--tls is for tcp and churn";
		}
		if (this.connect.proxy().enabled() && mode.equals("idle")) {
			return "--proxy-protocol is not for idle";
		}
		if (this.gc && this.serverPid <= 0) {
			return "--gc needs --server-pid";
		}
		if (this.connections < 1 || this.pipeline < 1 || this.threads < 1) {
			return "--connections, --pipeline and --threads must be at least 1";
		}
		if (this.size < 1 || this.size > 60_000) {
			return "--size must be between 1 and 60000";
		}
		if (this.duration <= 0 || this.warmup < 0) {
			return "--duration must be positive and --warmup not negative";
		}
		if (mode.equals("soak") && (this.framing != Framing.LINE || this.maxFrameBytes < 1)) {
			return "soak needs --framing line and a positive --max-frame-bytes";
		}
		if ((mode.equals("udp") || mode.equals("soak")) && this.size < 12) {
			return "UDP needs --size of at least 12 to match replies to requests";
		}
		if (this.framing == Framing.RAW) {
			return "raw framing cannot delimit pipelined requests; use another framing";
		}
		return null;
	}

}
