package dev.timestamp.clock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.framing.Framing;
import dev.timestamp.metrics.ServiceMeters;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.TimestampingService;
import dev.timestamp.tcp.ConnectionFactories;
import dev.timestamp.tcp.ListenerSettings;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.tcp.TcpHealthIndicator;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.udp.UdpHealthIndicator;
import dev.timestamp.udp.UdpInboundEndpoint;
import dev.timestamp.udp.UdpMetrics;
import dev.timestamp.udp.UdpReplyHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.NetUtil;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.dsl.Tcp;

/**
 * The RFC 868 Time and RFC 867 Daytime flows, each over TCP and UDP, on the timestamp
 * flows' shape: the inbound adapter's request (a TCP connection, made one empty request
 * as it is admitted, or any datagram) goes to the stamping service, whose answer leaves
 * on the outbound adapter. The listeners are the timestamp's own, with its guards: the
 * {@code timestamp.tcp.*} caps, timers and PROXY protocol, the {@code timestamp.udp.*}
 * source-port floor, size limit and rate limit (one budget per source across every UDP
 * port), a graceful drain, and meters of their own ({@code timestamp.rfc868.*}, requests
 * tagged {@code transport=rfc868-tcp}, ...).
 * <p>
 * With {@code timestamp.clock.readiness} they refuse to answer while the clock is not
 * trusted. {@code timestamp.rfc868.enabled} and {@code timestamp.daytime.enabled} are
 * read at run time, as {@code timestamp.tcp.enabled} is.
 */
@Configuration(proxyBeanMethods = false)
class TimeFlowConfiguration {

	@Bean
	NettyTcpServerConnectionFactory rfc868ConnectionFactory(EventLoops loops, DescriptorBudget descriptors,
			TimestampProperties properties, ServiceMeters meters, ClockHealth clock) {
		return connectionFactory(Listener.rfc868(properties), loops, descriptors, properties, meters, clock);
	}

	@Bean
	NettyTcpServerConnectionFactory daytimeConnectionFactory(EventLoops loops, DescriptorBudget descriptors,
			TimestampProperties properties, ServiceMeters meters, ClockHealth clock) {
		return connectionFactory(Listener.daytime(properties), loops, descriptors, properties, meters, clock);
	}

	@Bean
	UdpInboundEndpoint rfc868UdpInbound(EventLoops loops, DescriptorBudget descriptors, TimestampProperties properties,
			ServiceMeters meters, ClockHealth clock, UdpInboundEndpoint udpInbound) {
		return udpInbound(Listener.rfc868(properties), loops, descriptors, properties, meters, clock, udpInbound);
	}

	@Bean
	UdpInboundEndpoint daytimeUdpInbound(EventLoops loops, DescriptorBudget descriptors, TimestampProperties properties,
			ServiceMeters meters, ClockHealth clock, UdpInboundEndpoint udpInbound) {
		return udpInbound(Listener.daytime(properties), loops, descriptors, properties, meters, clock, udpInbound);
	}

	@Bean
	IntegrationFlow rfc868TcpFlow(@Qualifier("rfc868ConnectionFactory") NettyTcpServerConnectionFactory listener,
			TimestampingService service) {
		return IntegrationFlow.from(Tcp.inboundAdapter(listener).autoStartup(listener.isEnabled()))
			.transform(new TimeProtocolReply(service::rfc868))
			.handle(Tcp.outboundAdapter(listener), (endpoint) -> endpoint.autoStartup(listener.isEnabled()))
			.get();
	}

	@Bean
	IntegrationFlow rfc868UdpFlow(@Qualifier("rfc868UdpInbound") UdpInboundEndpoint listener,
			TimestampingService service) {
		return IntegrationFlow.from(listener)
			.transform(new TimeProtocolReply(service::rfc868))
			.handle(new UdpReplyHandler(listener.getMetrics()),
					(endpoint) -> endpoint.autoStartup(listener.isEnabled()))
			.get();
	}

	@Bean
	IntegrationFlow daytimeTcpFlow(@Qualifier("daytimeConnectionFactory") NettyTcpServerConnectionFactory listener,
			TimestampingService service) {
		return IntegrationFlow.from(Tcp.inboundAdapter(listener).autoStartup(listener.isEnabled()))
			.transform(new TimeProtocolReply(service::daytime))
			.handle(Tcp.outboundAdapter(listener), (endpoint) -> endpoint.autoStartup(listener.isEnabled()))
			.get();
	}

	@Bean
	IntegrationFlow daytimeUdpFlow(@Qualifier("daytimeUdpInbound") UdpInboundEndpoint listener,
			TimestampingService service) {
		return IntegrationFlow.from(listener)
			.transform(new TimeProtocolReply(service::daytime))
			.handle(new UdpReplyHandler(listener.getMetrics()),
					(endpoint) -> endpoint.autoStartup(listener.isEnabled()))
			.get();
	}

	/** {@code rfc868} and {@code daytime} in health and readiness, each TCP and UDP. */
	@Bean
	SmartInitializingSingleton timeProtocolsHealthRegistration(TimestampProperties properties,
			@Qualifier("rfc868ConnectionFactory") NettyTcpServerConnectionFactory rfc868Tcp,
			@Qualifier("rfc868UdpInbound") UdpInboundEndpoint rfc868Udp,
			@Qualifier("daytimeConnectionFactory") NettyTcpServerConnectionFactory daytimeTcp,
			@Qualifier("daytimeUdpInbound") UdpInboundEndpoint daytimeUdp,
			ObjectProvider<HealthContributorRegistry> registry) {
		return () -> registry.ifAvailable((health) -> {
			if (properties.rfc868().enabled()) {
				health.registerContributor("rfc868", health(rfc868Tcp, rfc868Udp));
			}
			if (properties.daytime().enabled()) {
				health.registerContributor("daytime", health(daytimeTcp, daytimeUdp));
			}
		});
	}

	/** What is live: the bound ports. */
	@Bean
	InfoContributor timeProtocolsInfoContributor(TimestampProperties properties,
			@Qualifier("rfc868ConnectionFactory") NettyTcpServerConnectionFactory rfc868Tcp,
			@Qualifier("rfc868UdpInbound") UdpInboundEndpoint rfc868Udp,
			@Qualifier("daytimeConnectionFactory") NettyTcpServerConnectionFactory daytimeTcp,
			@Qualifier("daytimeUdpInbound") UdpInboundEndpoint daytimeUdp) {
		return (info) -> {
			info.withDetail("rfc868", info(properties.rfc868().enabled(), rfc868Tcp, rfc868Udp));
			info.withDetail("daytime", info(properties.daytime().enabled(), daytimeTcp, daytimeUdp));
		};
	}

	private static NettyTcpServerConnectionFactory connectionFactory(Listener listener, EventLoops loops,
			DescriptorBudget descriptors, TimestampProperties properties, ServiceMeters meters, ClockHealth clock) {
		// There is no frame: the connection is the request, and the reply goes unframed.
		ListenerSettings settings = ListenerSettings.of(properties, listener.port()).withFraming(Framing.RAW);
		NettyTcpServerConnectionFactory factory = ConnectionFactories.create(loops, descriptors,
				TcpMetrics.answeringOnConnect(listener.registry(meters), listener.name()), settings);
		factory.setListenerName(listener.name(), listener.title() + " TCP");
		factory.setAnswerOnConnect(answerable(properties, clock));
		factory.setEnabled(listener.enabled());
		return factory;
	}

	private static UdpInboundEndpoint udpInbound(Listener listener, EventLoops loops, DescriptorBudget descriptors,
			TimestampProperties properties, ServiceMeters meters, ClockHealth clock, UdpInboundEndpoint timestampUdp) {
		TimestampProperties.Udp udp = properties.udp();
		UdpMetrics metrics = UdpMetrics.ofTimeProtocol(listener.registry(meters), listener.name());
		UdpInboundEndpoint inbound = new UdpInboundEndpoint(loops, metrics,
				BindAddress.effective(properties.bindAddress()), listener.port(),
				(int) udp.maxDatagramBytes().toBytes(), udp.minSourcePort());
		inbound.setListenerName(listener.name(), listener.title() + " UDP");
		inbound.setEnabled(listener.enabled());
		inbound.setAddressSockets(udp.maxAddressSockets(), udp.addressSocketIdleTimeout(), descriptors);
		metrics.addressSockets(inbound::addressSocketCount);
		inbound.setHoldUntilOpened(true);
		// One budget per source across every UDP port: answers on three ports must not
		// triple what a spoofed source can draw.
		inbound.setRateLimiter(timestampUdp.getRateLimiter());
		inbound.setAnswerable(answerable(properties, clock));
		return inbound;
	}

	private static BooleanSupplier answerable(TimestampProperties properties, ClockHealth clock) {
		return properties.clock().readiness() ? clock::trusted : () -> true;
	}

	private static HealthContributor health(NettyTcpServerConnectionFactory tcp, UdpInboundEndpoint udp) {
		Map<String, HealthContributor> transports = new LinkedHashMap<>();
		transports.put("tcp", new TcpHealthIndicator(tcp));
		transports.put("udp", new UdpHealthIndicator(udp));
		return CompositeHealthContributor.fromMap(transports);
	}

	private static Map<String, Object> info(boolean enabled, NettyTcpServerConnectionFactory tcp,
			UdpInboundEndpoint udp) {
		if (!enabled) {
			return Map.of("enabled", false);
		}
		return Map.of("enabled", true, "address", NetUtil.toAddressString(tcp.getBindAddress()), "tcpPort",
				tcp.getPort(), "udpPort", udp.getPort());
	}

	/**
	 * One time protocol's listener settings.
	 *
	 * @param name its name in settings and meters ({@code rfc868}, {@code daytime})
	 * @param title its name for people
	 * @param enabled whether it runs
	 * @param port its TCP and UDP port
	 */
	private record Listener(String name, String title, boolean enabled, int port) {

		static Listener rfc868(TimestampProperties properties) {
			return new Listener("rfc868", "Time (RFC 868)", properties.rfc868().enabled(), properties.rfc868().port());
		}

		static Listener daytime(TimestampProperties properties) {
			return new Listener("daytime", "Daytime (RFC 867)", properties.daytime().enabled(),
					properties.daytime().port());
		}

		/** A disabled listener's meters are not published. */
		MeterRegistry registry(ServiceMeters meters) {
			return this.enabled ? meters.registry() : new SimpleMeterRegistry();
		}

	}

}
