package dev.timestamp.udp;

import java.util.Map;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.ServiceMeters;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.StampTransformer;
import dev.timestamp.stamp.TimestampingService;
import io.netty.util.NetUtil;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The UDP flow, top to bottom: each datagram is stamped and the reply is sent to its
 * sender from the socket it arrived on. {@code timestamp.udp.enabled=false} is read at
 * run time, as for TCP.
 */
@Configuration(proxyBeanMethods = false)
class UdpFlowConfiguration {

	@Bean
	UdpMetrics udpMetrics(ServiceMeters meters) {
		return new UdpMetrics(meters.registry());
	}

	@Bean
	@Primary
	UdpInboundEndpoint udpInbound(EventLoops loops, DescriptorBudget descriptors, UdpMetrics metrics,
			TimestampProperties properties) {
		TimestampProperties.Udp udp = properties.udp();
		UdpInboundEndpoint inbound = new UdpInboundEndpoint(loops, metrics,
				BindAddress.effective(properties.bindAddress()), udp.port(), (int) udp.maxDatagramBytes().toBytes(),
				udp.minSourcePort());
		inbound.setEnabled(udp.enabled());
		inbound.setAddressSockets(udp.maxAddressSockets(), udp.addressSocketIdleTimeout(), descriptors);
		metrics.addressSockets(inbound::addressSocketCount);
		inbound.setHoldUntilOpened(true);
		TimestampProperties.Udp.RateLimit limit = udp.rateLimit();
		if (limit.enabled()) {
			SourceRateLimiter limiter = new SourceRateLimiter(limit.requestsPerSecond(), limit.burst(),
					limit.maxTrackedSources(), inbound.laneCount());
			inbound.setRateLimiter(limiter);
			metrics.trackedSources(limiter::trackedSources);
		}
		return inbound;
	}

	@Bean
	SmartInitializingSingleton udpHealthRegistration(TimestampProperties properties, UdpInboundEndpoint inbound,
			ObjectProvider<HealthContributorRegistry> registry) {
		return () -> {
			if (properties.udp().enabled()) {
				registry.ifAvailable((health) -> health.registerContributor("udp", new UdpHealthIndicator(inbound)));
			}
		};
	}

	/** What is live: the bound port; the settings are under {@code settings}. */
	@Bean
	InfoContributor udpInfoContributor(UdpInboundEndpoint inbound, TimestampProperties properties) {
		if (!properties.udp().enabled()) {
			return (info) -> info.withDetail("udp", Map.of("enabled", false));
		}
		return (info) -> info.withDetail("udp", Map.of("enabled", true, "address",
				NetUtil.toAddressString(inbound.getBindAddress()), "port", inbound.getPort()));
	}

	@Bean
	IntegrationFlow udpFlow(UdpInboundEndpoint inbound, TimestampingService service, UdpMetrics metrics,
			TimestampProperties properties) {
		return IntegrationFlow.from(inbound)
			.transform(new StampTransformer(service))
			.handle(new UdpReplyHandler(metrics), (endpoint) -> endpoint.autoStartup(properties.udp().enabled()))
			.get();
	}

}
