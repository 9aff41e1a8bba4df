package dev.timestamp.udp;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.TimestampingService;

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
	UdpInboundEndpoint udpInbound(EventLoops loops, TimestampProperties properties) {
		TimestampProperties.Udp udp = properties.getUdp();
		return new UdpInboundEndpoint(loops, properties.getBindAddress(), udp.getPort(), udp.getMaxDatagramBytes());
	}

	@Bean
	IntegrationFlow udpFlow(UdpInboundEndpoint inbound, TimestampingService service) {
		return IntegrationFlow.from(inbound)
			.transform(byte[].class, service::stamp)
			.handle(new UdpReplyHandler(inbound))
			.get();
	}

}
