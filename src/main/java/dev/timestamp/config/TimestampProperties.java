package dev.timestamp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.timestamp.framing.Framing;
import dev.timestamp.netty.TcpTransport;
import dev.timestamp.stamp.TimestampFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Every setting of the service, bound from {@code timestamp.*}. Unknown keys and invalid
 * values stop the start-up with a message naming the property.
 */
@ConfigurationProperties(prefix = "timestamp", ignoreUnknownFields = false)
public class TimestampProperties implements Validator {

	/** Address both listeners bind. */
	private InetAddress bindAddress = anyAddress();

	/**
	 * Layout of the timestamp: ctime, iso-8601, rfc-1123, epoch-millis or a
	 * DateTimeFormatter pattern.
	 */
	private TimestampFormat format = TimestampFormat.CTIME;

	/** Time zone of the timestamp. */
	private ZoneId zone = ZoneId.systemDefault();

	/**
	 * Netty event-loop threads shared by both transports; 0 means one per available
	 * processor.
	 */
	private int ioThreads = 0;

	private final Tcp tcp = new Tcp();

	private final Udp udp = new Udp();

	private final Metrics metrics = new Metrics();

	private final Http http = new Http();

	private final Tls tls = new Tls();

	/**
	 * Every setting's range and the rules across settings. Spring Boot applies a
	 * properties class's own {@code Validator} after binding and reports each error with
	 * the property it names; no bean-validation library is needed for that.
	 */
	@Override
	public boolean supports(Class<?> type) {
		return TimestampProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		TimestampProperties properties = (TimestampProperties) target;
		validateRanges(properties, errors);
		if (errors.hasErrors()) {
			// The rules below read settings that may be missing.
			return;
		}
		inRange(errors, "tcp.maxFrameBytes", properties.getTcp().getMaxFrameBytes(), 1, 16 * 1024 * 1024);
		inRange(errors, "tcp.maxQueuedReplyBytes", properties.getTcp().getMaxQueuedReplyBytes(), 1024,
				64 * 1024 * 1024);
		inRange(errors, "udp.maxDatagramBytes", properties.getUdp().getMaxDatagramBytes(), 1, 65507);
		inRange(errors, "tcp.proxyProtocol.maxTlvBytes", properties.getTcp().getProxyProtocol().getMaxTlvBytes(), 0,
				65535 - 216);
		TimestampProperties.Tcp.ProxyProtocol proxy = properties.getTcp().getProxyProtocol();
		if (proxy.getMode() != ProxyProtocolMode.OFF && proxy.getTrustedSources().isEmpty()) {
			errors.rejectValue("tcp.proxyProtocol.trustedSources", "required",
					"must list the proxies (addresses or CIDR ranges) allowed to send PROXY headers when"
							+ " timestamp.tcp.proxy-protocol.mode is " + proxy.getMode().name().toLowerCase(Locale.ROOT)
							+ ", e.g. 10.0.0.0/8");
		}
		if (proxy.getMode() == ProxyProtocolMode.OFF && !proxy.getTrustedSources().isEmpty()) {
			// Half-done: a proxy's header would be answered as a request.
			errors.rejectValue("tcp.proxyProtocol.trustedSources", "unused",
					"takes effect only with timestamp.tcp.proxy-protocol.mode=optional or required; with the mode off"
							+ " a proxy's PROXY header would be answered as a request. Set the mode, or remove"
							+ " timestamp.tcp.proxy-protocol.trusted-sources");
		}
		if (!properties.getTcp().isEnabled() && !properties.getUdp().isEnabled() && !properties.getTls().isEnabled()) {
			errors.reject("noTransport", "timestamp.tcp.enabled, timestamp.udp.enabled and timestamp.tls.enabled are"
					+ " all false: the server would serve nothing. Enable at least one transport.");
		}
		int tcpPort = properties.getTcp().getPort();
		if (properties.getTcp().isEnabled() && properties.getTls().isEnabled() && tcpPort != 0
				&& tcpPort == properties.getTls().getPort()) {
			errors.rejectValue("tls.port", "collision", "must differ from timestamp.tcp.port (" + tcpPort
					+ "): the TCP and the TLS listener bind the same address, each on a port of its own");
		}
		if (properties.getTls().isEnabled() && !StringUtils.hasText(properties.getTls().getBundle())) {
			errors.rejectValue("tls.bundle", "required",
					"must name an SSL bundle (spring.ssl.bundle.pem.<name>.* or spring.ssl.bundle.jks.<name>.*)"
							+ " when timestamp.tls.enabled is true");
		}
	}

	private static void validateRanges(TimestampProperties p, Errors errors) {
		notNull(errors, "bindAddress", p.getBindAddress());
		notNull(errors, "format", p.getFormat());
		notNull(errors, "zone", p.getZone());
		inRange(errors, "ioThreads", p.getIoThreads(), 0, 1024);
		Tcp tcp = p.getTcp();
		inRange(errors, "tcp.port", tcp.getPort(), 0, 65535);
		notNull(errors, "tcp.framing", tcp.getFraming());
		notNull(errors, "tcp.transport", tcp.getTransport());
		atLeast(errors, "tcp.rawFallbackAfter", tcp.getRawFallbackAfter(), Duration.ZERO);
		notNull(errors, "tcp.maxFrameBytes", tcp.getMaxFrameBytes());
		inRange(errors, "tcp.maxConnections", tcp.getMaxConnections(), 1, Integer.MAX_VALUE);
		inRange(errors, "tcp.backlog", tcp.getBacklog(), 1, 65535);
		atLeast(errors, "tcp.idleTimeout", tcp.getIdleTimeout(), Duration.ofMillis(1));
		notNull(errors, "tcp.maxQueuedReplyBytes", tcp.getMaxQueuedReplyBytes());
		inRange(errors, "tcp.memoryPressurePercent", tcp.getMemoryPressurePercent(), 0, 99);
		inRange(errors, "tcp.maxConnectionsPerSource", tcp.getMaxConnectionsPerSource(), 0, Integer.MAX_VALUE);
		atLeast(errors, "tcp.maxConnectionAge", tcp.getMaxConnectionAge(), Duration.ZERO);
		Tcp.ProxyProtocol proxy = tcp.getProxyProtocol();
		notNull(errors, "tcp.proxyProtocol.mode", proxy.getMode());
		notNull(errors, "tcp.proxyProtocol.trustedSources", proxy.getTrustedSources());
		atLeast(errors, "tcp.proxyProtocol.headerTimeout", proxy.getHeaderTimeout(), Duration.ofMillis(1));
		notNull(errors, "tcp.proxyProtocol.maxTlvBytes", proxy.getMaxTlvBytes());
		Udp udp = p.getUdp();
		inRange(errors, "udp.port", udp.getPort(), 0, 65535);
		notNull(errors, "udp.maxDatagramBytes", udp.getMaxDatagramBytes());
		inRange(errors, "udp.minSourcePort", udp.getMinSourcePort(), 0, 65535);
		inRange(errors, "udp.maxAddressSockets", udp.getMaxAddressSockets(), 0, 65535);
		atLeast(errors, "udp.addressSocketIdleTimeout", udp.getAddressSocketIdleTimeout(), Duration.ofMillis(1));
		Udp.RateLimit limit = udp.getRateLimit();
		inRange(errors, "udp.rateLimit.requestsPerSecond", limit.getRequestsPerSecond(), 1, 1_000_000);
		inRange(errors, "udp.rateLimit.burst", limit.getBurst(), 1, 1_000_000);
		inRange(errors, "udp.rateLimit.maxTrackedSources", limit.getMaxTrackedSources(), 1, 1_048_576);
		atLeast(errors, "http.requestTimeout", p.getHttp().getRequestTimeout(), Duration.ofMillis(1));
		Tls tls = p.getTls();
		inRange(errors, "tls.port", tls.getPort(), 0, 65535);
		notNull(errors, "tls.clientAuth", tls.getClientAuth());
		atLeast(errors, "tls.handshakeTimeout", tls.getHandshakeTimeout(), Duration.ofMillis(1));
	}

	private static void notNull(Errors errors, String field, @Nullable Object value) {
		if (value == null) {
			errors.rejectValue(field, "required", "must be set");
		}
	}

	private static void inRange(Errors errors, String field, int value, int min, int max) {
		if (value < min || value > max) {
			errors.rejectValue(field, "range",
					(max == Integer.MAX_VALUE) ? "must be at least " + min : "must be between " + min + " and " + max);
		}
	}

	private static void atLeast(Errors errors, String field, @Nullable Duration value, Duration min) {
		if (value == null) {
			notNull(errors, field, null);
		}
		else if (value.compareTo(min) < 0) {
			errors.rejectValue(field, "range", "must be at least " + (min.isZero() ? "0" : min.toMillis() + "ms"));
		}
	}

	/** A byte size ({@code DataSize}) in a range of bytes. */
	private static void inRange(Errors errors, String field, DataSize size, long min, long max) {
		if (size != null && (size.toBytes() < min || size.toBytes() > max)) {
			errors.rejectValue(field, "range", "must be between " + DataSize.ofBytes(min) + " and "
					+ DataSize.ofBytes(max) + " (" + min + " and " + max + " bytes)");
		}
	}

	private static InetAddress anyAddress() {
		try {
			return InetAddress.getByAddress(new byte[4]);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public InetAddress getBindAddress() {
		return this.bindAddress;
	}

	public void setBindAddress(InetAddress bindAddress) {
		this.bindAddress = bindAddress;
	}

	public TimestampFormat getFormat() {
		return this.format;
	}

	public void setFormat(TimestampFormat format) {
		this.format = format;
	}

	public ZoneId getZone() {
		return this.zone;
	}

	public void setZone(ZoneId zone) {
		this.zone = zone;
	}

	public int getIoThreads() {
		return this.ioThreads;
	}

	public void setIoThreads(int ioThreads) {
		this.ioThreads = ioThreads;
	}

	public Tcp getTcp() {
		return this.tcp;
	}

	public Udp getUdp() {
		return this.udp;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Http getHttp() {
		return this.http;
	}

	public Tls getTls() {
		return this.tls;
	}

	/**
	 * The TLS listener: the TCP protocol (same framing, limits and PROXY support),
	 * encrypted, on a port of its own.
	 */
	public static class Tls {

		/** Whether the TLS listener runs. */
		private boolean enabled = false;

		/** TLS listening port; 0 picks a free port. */
		private int port = 21568;

		/**
		 * Name of the Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>.*} or
		 * {@code spring.ssl.bundle.jks.<name>.*}) with the certificate, its key and, for
		 * client certificates, the trusted authorities.
		 */
		private @Nullable String bundle;

		/**
		 * Client certificates: {@code none}, {@code want} (asked for, verified when
		 * given) or {@code need} (required).
		 */
		private TlsClientAuth clientAuth = TlsClientAuth.NONE;

		/**
		 * A connection whose handshake has not completed this long after accept is
		 * closed.
		 */
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public TlsClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(TlsClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

	}

	public static class Http {

		/**
		 * An HTTP (actuator) connection without a complete request head for this long,
		 * after it opened or after its last response, is closed; also bounds reading a
		 * body.
		 */
		private Duration requestTimeout = Duration.ofSeconds(10);

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}

	public static class Metrics {

		/**
		 * Whether the service records its own meters (JVM and process meters are not
		 * affected).
		 */
		private boolean enabled = true;

		/**
		 * Whether Spring Integration also times every message through the request flows'
		 * channels and handlers ({@code spring.integration.send}); costly, off by
		 * default.
		 */
		private boolean flowTimers = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isFlowTimers() {
			return this.flowTimers;
		}

		public void setFlowTimers(boolean flowTimers) {
			this.flowTimers = flowTimers;
		}

	}

	public static class Tcp {

		/** Whether the TCP listener runs. */
		private boolean enabled = true;

		/** TCP listening port; 0 picks a free port. */
		private int port = 21567;

		/** How requests and replies are delimited on the byte stream. */
		private Framing framing = Framing.LINE;

		/**
		 * The kernel interface of the TCP listener's event loops: {@code epoll}, or
		 * {@code io-uring} (its own loops; epoll, with a warning, where the kernel does
		 * not allow io_uring).
		 */
		private TcpTransport transport = TcpTransport.EPOLL;

		/**
		 * In {@code line} framing, a connection whose first request is still unterminated
		 * after this much quiet is served as {@code raw} from then on: the tutorial's
		 * client sends bytes without a newline and waits for the reply. A connection
		 * whose first request ends with a newline stays a line connection. 0 turns this
		 * off.
		 */
		private Duration rawFallbackAfter = Duration.ofMillis(200);

		/** Longest request payload accepted, in bytes, terminator excluded. */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize maxFrameBytes = DataSize.ofKilobytes(64);

		/** Open connections allowed at once; further connections are closed on accept. */
		private int maxConnections = 10000;

		/** Length of the kernel's accept queue. */
		private int backlog = 1024;

		/** A connection without a complete request for this long is closed. */
		private Duration idleTimeout = Duration.ofMinutes(5);

		/**
		 * Reply bytes queued for a connection that does not read them, before the server
		 * stops reading its requests (TCP flow control then pushes back on the client).
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize maxQueuedReplyBytes = DataSize.ofKilobytes(256);

		/**
		 * Percentage of the JVM's direct memory limit above which a connection holding
		 * more than 64 KiB (replies its client is not reading, an unfinished request) is
		 * closed, and past halfway from there to the limit one holding more than 4 KiB,
		 * so that connections within their own limits cannot together fill direct memory
		 * and make allocations fail for clients that read; 0 turns it off.
		 */
		private int memoryPressurePercent = 75;

		/**
		 * Open connections allowed at once from one source address (IPv6: one /64), the
		 * address a PROXY header declares where one is accepted; 0 is no cap. Further
		 * connections are closed on accept.
		 */
		private int maxConnectionsPerSource = 0;

		/**
		 * A connection this old (give or take 10%, so that clients do not all reconnect
		 * at once) is drained as at shutdown: requests already read are answered, then
		 * the server closes its side. 0 keeps connections for as long as they are used.
		 */
		private Duration maxConnectionAge = Duration.ZERO;

		private final ProxyProtocol proxyProtocol = new ProxyProtocol();

		public ProxyProtocol getProxyProtocol() {
			return this.proxyProtocol;
		}

		public int getMaxConnectionsPerSource() {
			return this.maxConnectionsPerSource;
		}

		public void setMaxConnectionsPerSource(int maxConnectionsPerSource) {
			this.maxConnectionsPerSource = maxConnectionsPerSource;
		}

		public int getMemoryPressurePercent() {
			return this.memoryPressurePercent;
		}

		public void setMemoryPressurePercent(int memoryPressurePercent) {
			this.memoryPressurePercent = memoryPressurePercent;
		}

		public Duration getMaxConnectionAge() {
			return this.maxConnectionAge;
		}

		public void setMaxConnectionAge(Duration maxConnectionAge) {
			this.maxConnectionAge = maxConnectionAge;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Framing getFraming() {
			return this.framing;
		}

		public void setFraming(Framing framing) {
			this.framing = framing;
		}

		public TcpTransport getTransport() {
			return this.transport;
		}

		public void setTransport(TcpTransport transport) {
			this.transport = transport;
		}

		public Duration getRawFallbackAfter() {
			return this.rawFallbackAfter;
		}

		public void setRawFallbackAfter(Duration rawFallbackAfter) {
			this.rawFallbackAfter = rawFallbackAfter;
		}

		public DataSize getMaxFrameBytes() {
			return this.maxFrameBytes;
		}

		public void setMaxFrameBytes(DataSize maxFrameBytes) {
			this.maxFrameBytes = maxFrameBytes;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getBacklog() {
			return this.backlog;
		}

		public void setBacklog(int backlog) {
			this.backlog = backlog;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public DataSize getMaxQueuedReplyBytes() {
			return this.maxQueuedReplyBytes;
		}

		public void setMaxQueuedReplyBytes(DataSize maxQueuedReplyBytes) {
			this.maxQueuedReplyBytes = maxQueuedReplyBytes;
		}

		/**
		 * The PROXY protocol (v1 and v2) that load balancers use to pass on the client's
		 * address.
		 */
		public static class ProxyProtocol {

			/**
			 * {@code off}: headers are not interpreted. {@code optional}: a connection
			 * from a trusted source may start with one. {@code required}: a connection
			 * from a trusted source must start with one.
			 */
			private ProxyProtocolMode mode = ProxyProtocolMode.OFF;

			/**
			 * Addresses or CIDR ranges of the proxies allowed to send headers. A
			 * connection from any other address that starts with a header is closed.
			 */
			private List<Cidr> trustedSources = new ArrayList<>();

			/**
			 * A connection whose header is not complete this long after accept is closed.
			 */
			private Duration headerTimeout = Duration.ofSeconds(5);

			/**
			 * Largest block of v2 TLVs (type-length-value extensions, skipped) accepted
			 * after the addresses; a longer header closes the connection.
			 */
			@DataSizeUnit(DataUnit.BYTES)
			private DataSize maxTlvBytes = DataSize.ofKilobytes(2);

			public ProxyProtocolMode getMode() {
				return this.mode;
			}

			public void setMode(ProxyProtocolMode mode) {
				this.mode = mode;
			}

			public List<Cidr> getTrustedSources() {
				return this.trustedSources;
			}

			public void setTrustedSources(List<Cidr> trustedSources) {
				this.trustedSources = trustedSources;
			}

			public Duration getHeaderTimeout() {
				return this.headerTimeout;
			}

			public void setHeaderTimeout(Duration headerTimeout) {
				this.headerTimeout = headerTimeout;
			}

			public DataSize getMaxTlvBytes() {
				return this.maxTlvBytes;
			}

			public void setMaxTlvBytes(DataSize maxTlvBytes) {
				this.maxTlvBytes = maxTlvBytes;
			}

		}

	}

	public static class Udp {

		/** Whether the UDP listener runs. */
		private boolean enabled = true;

		/** UDP listening port; 0 picks a free port. */
		private int port = 21567;

		/**
		 * Largest datagram read; larger ones are dropped, never truncated. One is
		 * answered only if its reply (request plus stamp) also fits in a UDP datagram.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private DataSize maxDatagramBytes = DataSize.ofBytes(65507);

		/**
		 * Datagrams from source ports below this are dropped, as xinetd's UDP services
		 * do: an echo aimed at another system service (echo, chargen) would loop forever.
		 * 0 answers all.
		 */
		private int minSourcePort = 1024;

		/**
		 * On the wildcard address, sockets opened per event loop for local addresses
		 * found only when a datagram arrives for them (a VIP added later, 127.0.0.2), so
		 * that each reply leaves from the address asked. Past this, a datagram to yet
		 * another address is dropped, never answered from another one.
		 */
		private int maxAddressSockets = 256;

		/** Such a socket unused this long is closed, freeing its place. */
		private Duration addressSocketIdleTimeout = Duration.ofSeconds(60);

		/**
		 * Per-source-address limit on the datagrams answered (the amplification guard).
		 */
		private final RateLimit rateLimit = new RateLimit();

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public int getMinSourcePort() {
			return this.minSourcePort;
		}

		public int getMaxAddressSockets() {
			return this.maxAddressSockets;
		}

		public void setMaxAddressSockets(int maxAddressSockets) {
			this.maxAddressSockets = maxAddressSockets;
		}

		public Duration getAddressSocketIdleTimeout() {
			return this.addressSocketIdleTimeout;
		}

		public void setAddressSocketIdleTimeout(Duration addressSocketIdleTimeout) {
			this.addressSocketIdleTimeout = addressSocketIdleTimeout;
		}

		public void setMinSourcePort(int minSourcePort) {
			this.minSourcePort = minSourcePort;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public DataSize getMaxDatagramBytes() {
			return this.maxDatagramBytes;
		}

		public void setMaxDatagramBytes(DataSize maxDatagramBytes) {
			this.maxDatagramBytes = maxDatagramBytes;
		}

		public static class RateLimit {

			/** Whether datagrams beyond the limit are dropped; off by default. */
			private boolean enabled = false;

			/**
			 * Datagrams answered per second per source address (IPv6: per /64), on
			 * average.
			 */
			private int requestsPerSecond = 100;

			/** Datagrams a quiet source may send at once before the rate applies. */
			private int burst = 100;

			/**
			 * Source addresses tracked at once (about 100 bytes each); beyond this,
			 * sources not tracked share one bucket.
			 */
			private int maxTrackedSources = 65536;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public int getRequestsPerSecond() {
				return this.requestsPerSecond;
			}

			public void setRequestsPerSecond(int requestsPerSecond) {
				this.requestsPerSecond = requestsPerSecond;
			}

			public int getBurst() {
				return this.burst;
			}

			public void setBurst(int burst) {
				this.burst = burst;
			}

			public int getMaxTrackedSources() {
				return this.maxTrackedSources;
			}

			public void setMaxTrackedSources(int maxTrackedSources) {
				this.maxTrackedSources = maxTrackedSources;
			}

		}

	}

}
