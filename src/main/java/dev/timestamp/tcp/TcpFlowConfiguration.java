package dev.timestamp.tcp;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.TcpMetrics;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.StampTransformer;
import dev.timestamp.stamp.TimestampingService;

import java.util.Map;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.dsl.Tcp;

/**
 * The TCP flow, top to bottom: requests from the inbound adapter are stamped and the
 * replies go back through the outbound adapter on the same connection (the adapters
 * collaborate through the connection id header). It all runs on the connection's event loop.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "timestamp.tcp.enabled", matchIfMissing = true)
class TcpFlowConfiguration {

	@Bean
	NettyTcpServerConnectionFactory tcpConnectionFactory(EventLoops loops, TcpMetrics metrics,
			TimestampProperties properties) {
		TimestampProperties.Tcp tcp = properties.getTcp();
		return new NettyTcpServerConnectionFactory(loops, metrics, properties.getBindAddress(), tcp.getPort(),
				tcp.getBacklog(), tcp.getFraming(), tcp.getMaxFrameBytes(), tcp.getMaxConnections(),
				tcp.getIdleTimeout(), tcp.getMaxQueuedReplyBytes());
	}

	@Bean
	TcpHealthIndicator tcpHealthIndicator(NettyTcpServerConnectionFactory connectionFactory) {
		return new TcpHealthIndicator(connectionFactory);
	}

	@Bean
	InfoContributor tcpInfoContributor(NettyTcpServerConnectionFactory connectionFactory,
			TimestampProperties properties) {
		TimestampProperties.Tcp tcp = properties.getTcp();
		return (info) -> info.withDetail("tcp", Map.of("address", properties.getBindAddress().getHostAddress(),
				"port", connectionFactory.getPort(), "framing", tcp.getFraming().configName(), "max-frame-bytes",
				tcp.getMaxFrameBytes(), "max-connections", tcp.getMaxConnections(), "idle-timeout",
				tcp.getIdleTimeout().toString(), "max-queued-reply-bytes", tcp.getMaxQueuedReplyBytes()));
	}

	@Bean
	IntegrationFlow tcpFlow(NettyTcpServerConnectionFactory connectionFactory, TimestampingService service) {
		return IntegrationFlow.from(Tcp.inboundAdapter(connectionFactory))
			.transform(new StampTransformer(service))
			.handle(Tcp.outboundAdapter(connectionFactory))
			.get();
	}

}
