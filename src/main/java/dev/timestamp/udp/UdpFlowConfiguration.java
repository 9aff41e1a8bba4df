package dev.timestamp.udp;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.UdpMetrics;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.StampTransformer;
import dev.timestamp.stamp.TimestampingService;

import java.util.Map;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The UDP flow, top to bottom: each datagram is stamped and the reply is sent to its sender
 * from the socket it arrived on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "timestamp.udp.enabled", matchIfMissing = true)
class UdpFlowConfiguration {

	@Bean
	UdpInboundEndpoint udpInbound(EventLoops loops, UdpMetrics metrics, TimestampProperties properties) {
		TimestampProperties.Udp udp = properties.getUdp();
		return new UdpInboundEndpoint(loops, metrics, properties.getBindAddress(), udp.getPort(),
				udp.getMaxDatagramBytes());
	}

	@Bean
	UdpHealthIndicator udpHealthIndicator(UdpInboundEndpoint inbound) {
		return new UdpHealthIndicator(inbound);
	}

	@Bean
	InfoContributor udpInfoContributor(UdpInboundEndpoint inbound) {
		return (info) -> info.withDetail("udp", Map.of("address", inbound.getBindAddress().getHostAddress(), "port",
				inbound.getPort(), "max-datagram-bytes", inbound.getMaxDatagramBytes()));
	}

	@Bean
	IntegrationFlow udpFlow(UdpInboundEndpoint inbound, TimestampingService service, UdpMetrics metrics) {
		return IntegrationFlow.from(inbound)
			.transform(new StampTransformer(service))
			.handle(new UdpReplyHandler(inbound, metrics.requests()))
			.get();
	}

}
