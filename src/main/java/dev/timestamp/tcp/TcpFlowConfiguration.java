package dev.timestamp.tcp;

import java.util.Map;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.ServiceMeters;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.StampTransformer;
import dev.timestamp.stamp.TimestampingService;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.util.NetUtil;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.dsl.Tcp;

/**
 * The TCP flow, top to bottom: requests from the inbound adapter are stamped and the
 * replies go back through the outbound adapter on the same connection (the adapters
 * collaborate through the connection id header). It all runs on the connection's event
 * loop.
 * <p>
 * {@code timestamp.tcp.enabled=false} keeps the adapters from starting and the health
 * component out; it is read at run time, not as a bean condition, so that it also works
 * in an ahead-of-time processed application.
 */
@Configuration(proxyBeanMethods = false)
class TcpFlowConfiguration {

	@Bean
	@Primary
	TcpMetrics tcpMetrics(ServiceMeters meters) {
		return new TcpMetrics(meters.registry());
	}

	@Bean
	@Primary
	NettyTcpServerConnectionFactory tcpConnectionFactory(EventLoops loops, DescriptorBudget descriptors,
			TcpMetrics metrics, TimestampProperties properties) {
		NettyTcpServerConnectionFactory factory = ConnectionFactories.create(loops, descriptors, metrics, properties,
				properties.tcp().port());
		factory.setEnabled(properties.tcp().enabled());
		return factory;
	}

	@Bean
	SmartInitializingSingleton tcpHealthRegistration(TimestampProperties properties,
			NettyTcpServerConnectionFactory connectionFactory, ObjectProvider<HealthContributorRegistry> registry) {
		return () -> {
			if (properties.tcp().enabled()) {
				registry.ifAvailable(
						(health) -> health.registerContributor("tcp", new TcpHealthIndicator(connectionFactory)));
			}
		};
	}

	/** What is live: the bound port; the settings are under {@code settings}. */
	@Bean
	InfoContributor tcpInfoContributor(NettyTcpServerConnectionFactory connectionFactory,
			TimestampProperties properties) {
		if (!properties.tcp().enabled()) {
			return (info) -> info.withDetail("tcp", Map.of("enabled", false));
		}
		return (info) -> info.withDetail("tcp", Map.of("enabled", true, "address",
				NetUtil.toAddressString(connectionFactory.getBindAddress()), "port", connectionFactory.getPort()));
	}

	@Bean
	IntegrationFlow tcpFlow(NettyTcpServerConnectionFactory connectionFactory, TimestampingService service,
			TimestampProperties properties) {
		boolean enabled = properties.tcp().enabled();
		return IntegrationFlow.from(Tcp.inboundAdapter(connectionFactory).autoStartup(enabled))
			.transform(new StampTransformer(service))
			.handle(Tcp.outboundAdapter(connectionFactory), (endpoint) -> endpoint.autoStartup(enabled))
			.get();
	}

}
