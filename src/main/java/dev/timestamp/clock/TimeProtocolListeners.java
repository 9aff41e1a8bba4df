package dev.timestamp.clock;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.timestamp.lifecycle.PhasedLifecycle;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.startup.ListenerStartException;
import dev.timestamp.udp.SourceRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The RFC 868 Time and RFC 867 Daytime listeners, TCP and UDP on one port each, on the
 * event loops the timestamp listeners share. They open with the timestamp listeners and
 * close after those have drained.
 */
public class TimeProtocolListeners extends PhasedLifecycle {

	private static final Log logger = LogFactory.getLog("dev.timestamp.clock");

	private final List<Protocol> protocols;

	private final EventLoops loops;

	private final InetAddress bindAddress;

	private final int minSourcePort;

	private final Supplier<@Nullable SourceRateLimiter> rateLimiters;

	private final BooleanSupplier clockTrusted;

	private final MeterRegistry registry;

	private final List<Channel> channels = new ArrayList<>();

	/** Each running protocol's bound port, by name. */
	private final Map<String, Integer> ports = new ConcurrentHashMap<>();

	public TimeProtocolListeners(List<Protocol> protocols, EventLoops loops, InetAddress bindAddress, int minSourcePort,
			Supplier<@Nullable SourceRateLimiter> rateLimiters, BooleanSupplier clockTrusted, MeterRegistry registry,
			int phase) {
		super(phase);
		this.protocols = protocols;
		this.loops = loops;
		this.bindAddress = bindAddress;
		this.minSourcePort = minSourcePort;
		this.rateLimiters = rateLimiters;
		this.clockTrusted = clockTrusted;
		this.registry = registry;
	}

	@Override
	public void start() {
		for (Protocol protocol : this.protocols) {
			this.ports.put(protocol.name(), open(protocol));
		}
		super.start();
	}

	/** Binds the protocol's TCP and UDP sockets; returns the port. */
	private int open(Protocol protocol) {
		InetSocketAddress address = new InetSocketAddress(this.bindAddress, protocol.port());
		Channel tcp;
		Channel udp;
		try {
			tcp = new ServerBootstrap().group(this.loops.group())
				.channel(this.loops.serverChannelType())
				.option(ChannelOption.SO_REUSEADDR, true)
				.childHandler(new AnswerOnConnect(protocol.reply(), this.clockTrusted, replies(protocol, "tcp"),
						dropped(protocol, "clock_unsynchronized")))
				.bind(address)
				.syncUninterruptibly()
				.channel();
			this.channels.add(tcp);
			int port = ((InetSocketAddress) tcp.localAddress()).getPort();
			address = new InetSocketAddress(this.bindAddress, port);
			udp = new Bootstrap().group(this.loops.group())
				.channel(this.loops.datagramChannelType())
				.handler(new AnswerDatagram(protocol.reply(), this.minSourcePort, this.rateLimiters.get(),
						this.clockTrusted, replies(protocol, "udp"), dropped(protocol, "privileged_source_port"),
						dropped(protocol, "rate_limited"), dropped(protocol, "clock_unsynchronized")))
				.bind(address)
				.syncUninterruptibly()
				.channel();
			this.channels.add(udp);
		}
		catch (Exception ex) {
			stopListening();
			throw new ListenerStartException(protocol.title(), address, protocol.portProperty(), ex);
		}
		int port = ((InetSocketAddress) tcp.localAddress()).getPort();
		logger.info(
				protocol.title() + " listening on " + BindAddress.describe(this.bindAddress, port) + " (TCP and UDP)");
		return port;
	}

	private Counter replies(Protocol protocol, String transport) {
		return counter("timestamp.time.protocol.replies", "Replies of the RFC 868 Time and RFC 867 Daytime listeners",
				protocol, "transport", transport);
	}

	private Counter dropped(Protocol protocol, String reason) {
		return counter("timestamp.time.protocol.dropped",
				"Requests the RFC 868 Time and RFC 867 Daytime listeners did not answer", protocol, "reason", reason);
	}

	private Counter counter(String name, String description, Protocol protocol, String tag, String value) {
		return Counter.builder(name)
			.description(description)
			.tag("protocol", protocol.name())
			.tag(tag, value)
			.register(this.registry);
	}

	@Override
	public void stop() {
		stopListening();
		super.stop();
	}

	private void stopListening() {
		this.channels.forEach((channel) -> channel.close().syncUninterruptibly());
		this.channels.clear();
		this.ports.clear();
	}

	/** The bound port of the named protocol, or -1 when it does not run. */
	public int port(String name) {
		return this.ports.getOrDefault(name, -1);
	}

	/**
	 * One protocol to serve.
	 *
	 * @param name its name in logs and meters ({@code rfc868}, {@code daytime})
	 * @param title its name for people ({@code Time (RFC 868)})
	 * @param port the port to bind; 0 picks a free one
	 * @param portProperty the setting that names the port
	 * @param reply the reply, made anew for every answer
	 */
	public record Protocol(String name, String title, int port, String portProperty, Supplier<byte[]> reply) {
	}

}
