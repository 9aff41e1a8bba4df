package dev.timestamp.tcp.proxy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.timestamp.config.Cidr;
import dev.timestamp.config.ProxyProtocolMode;

/**
 * How PROXY headers are taken: from which peers ({@code trustedSources}), whether a
 * trusted peer must send one, how long it may take and how many bytes of v2 extensions it
 * may carry.
 */
public record ProxyProtocolSettings(ProxyProtocolMode mode, List<Cidr> trustedSources, Duration headerTimeout,
		int maxTlvBytes) {

	/** The PROXY protocol off. */
	public static final ProxyProtocolSettings OFF = new ProxyProtocolSettings(ProxyProtocolMode.OFF, List.of(),
			Duration.ofSeconds(5), 0);

	public boolean enabled() {
		return this.mode != ProxyProtocolMode.OFF;
	}

	public boolean required() {
		return this.mode == ProxyProtocolMode.REQUIRED;
	}

	/** For the start-up log: {@code required from 10.0.0.0/8}. */
	public String describe() {
		return this.mode.name().toLowerCase(Locale.ROOT) + " from "
				+ this.trustedSources.stream().map(Cidr::toString).collect(Collectors.joining(", "));
	}

	public boolean trusts(InetAddress peer) {
		for (Cidr range : this.trustedSources) {
			if (range.contains(peer)) {
				return true;
			}
		}
		return false;
	}

}
