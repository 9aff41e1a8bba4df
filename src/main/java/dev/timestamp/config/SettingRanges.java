package dev.timestamp.config;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * Each setting's range, with messages that name the property; {@link TimestampProperties}
 * adds the rules across settings.
 */
final class SettingRanges {

	private SettingRanges() {
	}

	static void validate(TimestampProperties p, Errors errors) {
		notNull(errors, "bindAddress", p.bindAddress());
		notNull(errors, "format", p.format());
		notNull(errors, "zone", p.zone());
		inRange(errors, "ioThreads", p.ioThreads(), 0, 1024);
		TimestampProperties.Tcp tcp = p.tcp();
		inRange(errors, "tcp.port", tcp.port(), 0, 65535);
		notNull(errors, "tcp.framing", tcp.framing());
		notNull(errors, "tcp.transport", tcp.transport());
		atLeast(errors, "tcp.rawFallbackAfter", tcp.rawFallbackAfter(), Duration.ZERO);
		notNull(errors, "tcp.maxFrameBytes", tcp.maxFrameBytes());
		inRange(errors, "tcp.maxConnections", tcp.maxConnections(), 1, Integer.MAX_VALUE);
		inRange(errors, "tcp.backlog", tcp.backlog(), 1, 65535);
		atLeast(errors, "tcp.idleTimeout", tcp.idleTimeout(), Duration.ofMillis(1));
		notNull(errors, "tcp.maxQueuedReplyBytes", tcp.maxQueuedReplyBytes());
		inRange(errors, "tcp.memoryPressurePercent", tcp.memoryPressurePercent(), 0, 99);
		inRange(errors, "tcp.maxConnectionsPerSource", tcp.maxConnectionsPerSource(), 0, Integer.MAX_VALUE);
		atLeast(errors, "tcp.maxConnectionAge", tcp.maxConnectionAge(), Duration.ZERO);
		TimestampProperties.Tcp.ProxyProtocol proxy = tcp.proxyProtocol();
		notNull(errors, "tcp.proxyProtocol.mode", proxy.mode());
		notNull(errors, "tcp.proxyProtocol.trustedSources", proxy.trustedSources());
		atLeast(errors, "tcp.proxyProtocol.headerTimeout", proxy.headerTimeout(), Duration.ofMillis(1));
		notNull(errors, "tcp.proxyProtocol.maxTlvBytes", proxy.maxTlvBytes());
		TimestampProperties.Udp udp = p.udp();
		inRange(errors, "udp.port", udp.port(), 0, 65535);
		notNull(errors, "udp.maxDatagramBytes", udp.maxDatagramBytes());
		inRange(errors, "udp.minSourcePort", udp.minSourcePort(), 0, 65535);
		inRange(errors, "udp.maxAddressSockets", udp.maxAddressSockets(), 0, 65535);
		atLeast(errors, "udp.addressSocketIdleTimeout", udp.addressSocketIdleTimeout(), Duration.ofMillis(1));
		TimestampProperties.Udp.RateLimit limit = udp.rateLimit();
		inRange(errors, "udp.rateLimit.requestsPerSecond", limit.requestsPerSecond(), 1, 1_000_000);
		inRange(errors, "udp.rateLimit.burst", limit.burst(), 1, 1_000_000);
		inRange(errors, "udp.rateLimit.maxTrackedSources", limit.maxTrackedSources(), 1, 1_048_576);
		atLeast(errors, "http.requestTimeout", p.http().requestTimeout(), Duration.ofMillis(1));
		TimestampProperties.Tls tls = p.tls();
		inRange(errors, "tls.port", tls.port(), 0, 65535);
		notNull(errors, "tls.clientAuth", tls.clientAuth());
		atLeast(errors, "tls.handshakeTimeout", tls.handshakeTimeout(), Duration.ofMillis(1));
		notNull(errors, "tls.engine", tls.engine());
		inRange(errors, "rfc868.port", p.rfc868().port(), 0, 65535);
		TimestampProperties.Clock clock = p.clock();
		atLeast(errors, "clock.maxOffset", clock.maxOffset(), Duration.ofMillis(1));
		atLeast(errors, "clock.ntp.interval", clock.ntp().interval(), Duration.ofSeconds(1));
		atLeast(errors, "clock.ntp.timeout", clock.ntp().timeout(), Duration.ofMillis(1));
		for (String server : clock.ntp().servers()) {
			if (!server.matches("[^\\s:]+(:\\d{1,5})?|\\[[0-9a-fA-F:.]+\\](:\\d{1,5})?")) {
				errors.rejectValue("clock.ntp.servers", "format",
						"'" + server + "' is not host or host:port ([address]:port for IPv6)");
			}
		}
		inRange(errors, "daytime.port", p.daytime().port(), 0, 65535);
	}

	static void notNull(Errors errors, String field, @Nullable Object value) {
		if (value == null) {
			errors.rejectValue(field, "required", "must be set");
		}
	}

	static void inRange(Errors errors, String field, int value, int min, int max) {
		if (value < min || value > max) {
			errors.rejectValue(field, "range",
					(max == Integer.MAX_VALUE) ? "must be at least " + min : "must be between " + min + " and " + max);
		}
	}

	static void atLeast(Errors errors, String field, @Nullable Duration value, Duration min) {
		if (value == null) {
			notNull(errors, field, null);
		}
		else if (value.compareTo(min) < 0) {
			errors.rejectValue(field, "range", "must be at least " + (min.isZero() ? "0" : min.toMillis() + "ms"));
		}
	}

	/** A byte size ({@code DataSize}) in a range of bytes. */
	static void inRange(Errors errors, String field, DataSize size, long min, long max) {
		if (size != null && (size.toBytes() < min || size.toBytes() > max)) {
			errors.rejectValue(field, "range", "must be between " + DataSize.ofBytes(min) + " and "
					+ DataSize.ofBytes(max) + " (" + min + " and " + max + " bytes)");
		}
	}

}
