package dev.timestamp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import dev.timestamp.framing.Framing;
import dev.timestamp.netty.TcpTransport;
import dev.timestamp.stamp.TimestampFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Every setting of the service, bound from {@code timestamp.*}, immutable once bound.
 * Unknown keys and invalid values stop the start-up with a message naming the property.
 *
 * @param bindAddress address both listeners bind
 * @param format layout of the timestamp: ctime, iso-8601, rfc-1123, epoch-millis or a
 * DateTimeFormatter pattern
 * @param zone time zone of the timestamp
 * @param ioThreads Netty event-loop threads shared by both transports; 0 means one per
 * available processor
 * @param tcp the TCP listener
 * @param udp the UDP listener
 * @param metrics the service's own meters
 * @param http the HTTP (actuator) port
 * @param tls the TLS listener: the TCP protocol (same framing, limits and PROXY support),
 * encrypted, on a port of its own
 * @param rfc868 the RFC 868 Time protocol: the time as a 32-bit count of seconds since
 * 1900, over TCP and UDP
 * @param daytime the RFC 867 Daytime protocol: the time as one line of text, over TCP and
 * UDP
 */
@ConfigurationProperties(prefix = "timestamp", ignoreUnknownFields = false)
public record TimestampProperties(@Nullable InetAddress bindAddress, @DefaultValue("ctime") TimestampFormat format,
		@Nullable ZoneId zone, @DefaultValue("0") int ioThreads, @DefaultValue Tcp tcp, @DefaultValue Udp udp,
		@DefaultValue Metrics metrics, @DefaultValue Http http, @DefaultValue Tls tls, @DefaultValue Rfc868 rfc868,
		@DefaultValue Daytime daytime, @DefaultValue Clock clock) implements Validator {

	/** Fills in the defaults that depend on the host: every address, the system zone. */
	public TimestampProperties {
		bindAddress = (bindAddress != null) ? bindAddress : anyAddress();
		zone = (zone != null) ? zone : ZoneId.systemDefault();
	}

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
		SettingRanges.validate(properties, errors);
		if (errors.hasErrors()) {
			// The rules below read settings that may be missing.
			return;
		}
		SettingRanges.inRange(errors, "tcp.maxFrameBytes", properties.tcp().maxFrameBytes(), 1, 16 * 1024 * 1024);
		SettingRanges.inRange(errors, "tcp.maxQueuedReplyBytes", properties.tcp().maxQueuedReplyBytes(), 1024,
				64 * 1024 * 1024);
		SettingRanges.inRange(errors, "udp.maxDatagramBytes", properties.udp().maxDatagramBytes(), 1, 65507);
		SettingRanges.inRange(errors, "tcp.proxyProtocol.maxTlvBytes", properties.tcp().proxyProtocol().maxTlvBytes(),
				0, 65535 - 216);
		Tcp.ProxyProtocol proxy = properties.tcp().proxyProtocol();
		if (proxy.mode() != ProxyProtocolMode.OFF && proxy.trustedSources().isEmpty()) {
			errors.rejectValue("tcp.proxyProtocol.trustedSources", "required",
					"must list the proxies (addresses or CIDR ranges) allowed to send PROXY headers when"
							+ " timestamp.tcp.proxy-protocol.mode is " + proxy.mode().name().toLowerCase(Locale.ROOT)
							+ ", e.g. 10.0.0.0/8");
		}
		if (proxy.mode() == ProxyProtocolMode.OFF && !proxy.trustedSources().isEmpty()) {
			// Half-done: a proxy's header would be answered as a request.
			errors.rejectValue("tcp.proxyProtocol.trustedSources", "unused",
					"takes effect only with timestamp.tcp.proxy-protocol.mode=optional or required; with the mode off"
							+ " a proxy's PROXY header would be answered as a request. Set the mode, or remove"
							+ " timestamp.tcp.proxy-protocol.trusted-sources");
		}
		if (!properties.tcp().enabled() && !properties.udp().enabled() && !properties.tls().enabled()
				&& !properties.rfc868().enabled() && !properties.daytime().enabled()) {
			errors.reject("noTransport", "timestamp.tcp.enabled, timestamp.udp.enabled and timestamp.tls.enabled are"
					+ " all false: the server would serve nothing. Enable at least one transport.");
		}
		if (properties.rfc868().enabled() && properties.daytime().enabled() && properties.rfc868().port() != 0
				&& properties.rfc868().port() == properties.daytime().port()) {
			errors.rejectValue("daytime.port", "collision", "must differ from timestamp.rfc868.port ("
					+ properties.rfc868().port() + "): each protocol listens on a port of its own");
		}
		int tcpPort = properties.tcp().port();
		if (properties.tcp().enabled() && properties.tls().enabled() && tcpPort != 0
				&& tcpPort == properties.tls().port()) {
			errors.rejectValue("tls.port", "collision", "must differ from timestamp.tcp.port (" + tcpPort
					+ "): the TCP and the TLS listener bind the same address, each on a port of its own");
		}
		if (properties.tls().enabled() && !StringUtils.hasText(properties.tls().bundle())) {
			errors.rejectValue("tls.bundle", "required",
					"must name an SSL bundle (spring.ssl.bundle.pem.<name>.* or spring.ssl.bundle.jks.<name>.*)"
							+ " when timestamp.tls.enabled is true");
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

	/**
	 * The TCP listener.
	 *
	 * @param enabled whether the TCP listener runs
	 * @param port TCP listening port; 0 picks a free port
	 * @param framing how requests and replies are delimited on the byte stream
	 * @param transport the kernel interface of the TCP listener's event loops:
	 * {@code epoll}, or {@code io-uring} (its own loops; epoll, with a warning, where the
	 * kernel does not allow io_uring)
	 * @param rawFallbackAfter in {@code line} framing, a connection whose first request
	 * is still unterminated after this much quiet is served as {@code raw} from then on:
	 * the tutorial's client sends bytes without a newline and waits for the reply. A
	 * connection whose first request ends with a newline stays a line connection. 0 turns
	 * this off.
	 * @param maxFrameBytes longest request payload accepted, in bytes, terminator
	 * excluded
	 * @param maxConnections open connections allowed at once; further connections are
	 * closed on accept
	 * @param backlog length of the kernel's accept queue
	 * @param idleTimeout a connection without a complete request for this long is closed
	 * @param maxQueuedReplyBytes reply bytes queued for a connection that does not read
	 * them, before the server stops reading its requests (TCP flow control then pushes
	 * back on the client)
	 * @param memoryPressurePercent percentage of the JVM's direct memory limit above
	 * which a connection holding more than 64 KiB (replies its client is not reading, an
	 * unfinished request) is closed, and past halfway from there to the limit one holding
	 * more than 4 KiB, so that connections within their own limits cannot together fill
	 * direct memory and make allocations fail for clients that read; 0 turns it off
	 * @param maxConnectionsPerSource open connections allowed at once from one source
	 * address (IPv6: one /64), the address a PROXY header declares where one is accepted;
	 * 0 is no cap. Further connections are closed on accept.
	 * @param maxConnectionAge a connection this old (give or take 10%, so that clients do
	 * not all reconnect at once) is drained as at shutdown: requests already read are
	 * answered, then the server closes its side. 0 keeps connections for as long as they
	 * are used.
	 * @param proxyProtocol the PROXY protocol (v1 and v2) that load balancers use to pass
	 * on the client's address
	 */
	public record Tcp(@DefaultValue("true") boolean enabled, @DefaultValue("21567") int port,
			@DefaultValue("line") Framing framing, @DefaultValue("epoll") TcpTransport transport,
			@DefaultValue("200ms") Duration rawFallbackAfter,
			@DefaultValue("64KB") @DataSizeUnit(DataUnit.BYTES) DataSize maxFrameBytes,
			@DefaultValue("10000") int maxConnections, @DefaultValue("1024") int backlog,
			@DefaultValue("5m") Duration idleTimeout,
			@DefaultValue("256KB") @DataSizeUnit(DataUnit.BYTES) DataSize maxQueuedReplyBytes,
			@DefaultValue("75") int memoryPressurePercent, @DefaultValue("0") int maxConnectionsPerSource,
			@DefaultValue("0") Duration maxConnectionAge, @DefaultValue ProxyProtocol proxyProtocol) {

		/**
		 * The PROXY protocol (v1 and v2) that load balancers use to pass on the client's
		 * address.
		 *
		 * @param mode {@code off}: headers are not interpreted. {@code optional}: a
		 * connection from a trusted source may start with one. {@code required}: a
		 * connection from a trusted source must start with one.
		 * @param trustedSources addresses or CIDR ranges of the proxies allowed to send
		 * headers. A connection from any other address that starts with a header is
		 * closed.
		 * @param headerTimeout a connection whose header is not complete this long after
		 * accept is closed
		 * @param maxTlvBytes largest block of v2 TLVs (type-length-value extensions,
		 * skipped) accepted after the addresses; a longer header closes the connection
		 */
		public record ProxyProtocol(@DefaultValue("off") ProxyProtocolMode mode, @Nullable List<Cidr> trustedSources,
				@DefaultValue("5s") Duration headerTimeout,
				@DefaultValue("2KB") @DataSizeUnit(DataUnit.BYTES) DataSize maxTlvBytes) {

			/** None trusted unless listed. */
			public ProxyProtocol {
				trustedSources = (trustedSources != null) ? List.copyOf(trustedSources) : List.of();
			}

		}

	}

	/**
	 * The UDP listener.
	 *
	 * @param enabled whether the UDP listener runs
	 * @param port UDP listening port; 0 picks a free port
	 * @param maxDatagramBytes largest datagram read; larger ones are dropped, never
	 * truncated. One is answered only if its reply (request plus stamp) also fits in a
	 * UDP datagram.
	 * @param minSourcePort datagrams from source ports below this are dropped, as
	 * xinetd's UDP services do: an echo aimed at another system service (echo, chargen)
	 * would loop forever. 0 answers all.
	 * @param maxAddressSockets on the wildcard address, sockets opened per event loop for
	 * local addresses found only when a datagram arrives for them (a VIP added later,
	 * 127.0.0.2), so that each reply leaves from the address asked. Past this, a datagram
	 * to yet another address is dropped, never answered from another one.
	 * @param addressSocketIdleTimeout such a socket unused this long is closed, freeing
	 * its place
	 * @param rateLimit per-source-address limit on the datagrams answered (the
	 * amplification guard)
	 */
	public record Udp(@DefaultValue("true") boolean enabled, @DefaultValue("21567") int port,
			@DefaultValue("65507B") @DataSizeUnit(DataUnit.BYTES) DataSize maxDatagramBytes,
			@DefaultValue("1024") int minSourcePort, @DefaultValue("256") int maxAddressSockets,
			@DefaultValue("60s") Duration addressSocketIdleTimeout, @DefaultValue RateLimit rateLimit) {

		/**
		 * Per-source-address limit on the datagrams answered.
		 *
		 * @param enabled whether datagrams beyond the limit are dropped; off by default
		 * @param requestsPerSecond datagrams answered per second per source address
		 * (IPv6: per /64), on average
		 * @param burst datagrams a quiet source may send at once before the rate applies
		 * @param maxTrackedSources source addresses tracked at once (about 100 bytes
		 * each); beyond this, sources not tracked share one bucket
		 */
		public record RateLimit(@DefaultValue("false") boolean enabled, @DefaultValue("100") int requestsPerSecond,
				@DefaultValue("100") int burst, @DefaultValue("65536") int maxTrackedSources) {
		}

	}

	/**
	 * The service's own meters.
	 *
	 * @param enabled whether the service records its own meters (JVM and process meters
	 * are not affected)
	 * @param flowTimers whether Spring Integration also times every message through the
	 * request flows' channels and handlers ({@code spring.integration.send}); costly, off
	 * by default
	 */
	public record Metrics(@DefaultValue("true") boolean enabled, @DefaultValue("false") boolean flowTimers) {
	}

	/**
	 * The HTTP (actuator) port.
	 *
	 * @param requestTimeout an HTTP (actuator) connection without a complete request head
	 * for this long, after it opened or after its last response, is closed; also bounds
	 * reading a body
	 */
	public record Http(@DefaultValue("10s") Duration requestTimeout) {
	}

	/**
	 * The TLS listener.
	 *
	 * @param enabled whether the TLS listener runs
	 * @param port TLS listening port; 0 picks a free port
	 * @param bundle name of the Spring Boot SSL bundle
	 * ({@code spring.ssl.bundle.pem.<name>.*} or {@code spring.ssl.bundle.jks.<name>.*})
	 * with the certificate, its key and, for client certificates, the trusted authorities
	 * @param clientAuth client certificates: {@code none}, {@code want} (asked for,
	 * verified when given) or {@code need} (required)
	 * @param handshakeTimeout a connection whose handshake has not completed this long
	 * after accept is closed
	 * @param engine the TLS engine: {@code auto} (BoringSSL where available, else the
	 * JDK's), {@code openssl} (BoringSSL, required) or {@code jdk}
	 */
	public record Tls(@DefaultValue("false") boolean enabled, @DefaultValue("21568") int port, @Nullable String bundle,
			@DefaultValue("none") TlsClientAuth clientAuth, @DefaultValue("10s") Duration handshakeTimeout,
			@DefaultValue("auto") TlsEngine engine) {

	}

	/**
	 * The RFC 868 Time protocol.
	 *
	 * @param enabled whether the Time listeners (TCP and UDP) run: over TCP the time is
	 * sent on connect, then the server closes; over UDP any datagram is answered
	 * @param port Time port, TCP and UDP (37 is the protocol's, which needs privilege); 0
	 * picks a free port
	 */
	public record Rfc868(@DefaultValue("false") boolean enabled, @DefaultValue("37") int port) {
	}

	/**
	 * The RFC 867 Daytime protocol.
	 *
	 * @param enabled whether the Daytime listeners (TCP and UDP) run: one line with the
	 * date and time in timestamp.format and timestamp.zone, then CRLF; over TCP sent on
	 * connect, then the server closes; over UDP in answer to any datagram
	 * @param port Daytime port, TCP and UDP (13 is the protocol's, which needs
	 * privilege); 0 picks a free port
	 */
	public record Daytime(@DefaultValue("false") boolean enabled, @DefaultValue("13") int port) {
	}

	/**
	 * The clock's health.
	 *
	 * @param readiness whether the clock health component is part of readiness: a pod
	 * whose clock is not trusted leaves its Service until it is again, and the Time and
	 * Daytime listeners refuse to answer meanwhile (RFC 868). Off by default, since many
	 * virtual machines report an unsynchronized clock whose time is right.
	 * @param maxOffset with NTP servers, the largest offset from them that the clock
	 * health accepts
	 * @param ntp NTP servers to measure the clock against; the service never adjusts the
	 * clock
	 */
	public record Clock(@DefaultValue("false") boolean readiness, @DefaultValue("100ms") Duration maxOffset,
			@DefaultValue Ntp ntp) {

		/**
		 * NTP servers to measure the clock against.
		 *
		 * @param servers {@code host} or {@code host:port} (port 123 by default) of each
		 * server; none by default. With servers, the NTP measurement decides the clock's
		 * health.
		 * @param interval how often each server is asked (SNTP)
		 * @param timeout how long an answer is awaited
		 */
		public record Ntp(@Nullable List<String> servers, @DefaultValue("64s") Duration interval,
				@DefaultValue("2s") Duration timeout) {

			public Ntp {
				servers = (servers != null) ? List.copyOf(servers) : List.of();
			}

		}

	}

}
