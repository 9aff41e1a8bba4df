package dev.timestamp.management;

import java.time.Duration;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.metrics.ServiceMeters;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator's HTTP server (Reactor Netty): every connection gets a request deadline,
 * and bodies a read and a request timeout, so that no client holds a connection for ever.
 * Decoding failures are counted here and logged at DEBUG only (application.properties).
 */
@Configuration(proxyBeanMethods = false)
class ManagementServerConfiguration {

	private static final String HANDLER = "timestamp.requestDeadline";

	@Bean
	NettyServerCustomizer requestDeadlines(TimestampProperties properties, ServiceMeters meters) {
		Duration timeout = properties.http().requestTimeout();
		HttpMetrics metrics = new HttpMetrics(meters.registry());
		return (server) -> server.readTimeout(timeout)
			.requestTimeout(timeout)
			.doOnChannelInit((observer, channel, remote) -> {
				if (channel.pipeline().get(HANDLER) != null) {
					// the management port's server may be customized twice (see
					// ManagementPortConfiguration)
					return;
				}
				HttpRequestDeadline deadline = new HttpRequestDeadline(timeout.toNanos(), metrics);
				if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
					channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, HANDLER, deadline);
				}
				else {
					channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, deadline);
				}
			});
	}

}
