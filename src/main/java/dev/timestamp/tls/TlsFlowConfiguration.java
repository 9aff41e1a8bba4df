package dev.timestamp.tls;

import java.util.Locale;
import java.util.Map;

import dev.timestamp.config.TimestampProperties;
import dev.timestamp.config.TlsEngine;
import dev.timestamp.metrics.ServiceMeters;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.stamp.StampTransformer;
import dev.timestamp.stamp.TimestampingService;
import dev.timestamp.tcp.ConnectionFactories;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.tcp.TcpHealthIndicator;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.ip.dsl.Tcp;

/**
 * The TLS flow: the TCP flow's shape on a listener of its own, whose connections are
 * encrypted with the SSL bundle {@code timestamp.tls.bundle}. The listener shares the
 * {@code timestamp.tcp.*} settings (framing, limits, timers, PROXY protocol) and has its
 * own port, caps and meters ({@code timestamp.tls.*}, requests tagged
 * {@code transport=tls}).
 * <p>
 * {@code timestamp.tls.enabled} is read at run time, as {@code timestamp.tcp.enabled} is.
 */
@Configuration(proxyBeanMethods = false)
class TlsFlowConfiguration {

	@Bean
	TcpMetrics tlsMetrics(ServiceMeters meters, TimestampProperties properties) {
		// A disabled listener's meters are not published.
		return new TcpMetrics(properties.tls().enabled() ? meters.registry() : new SimpleMeterRegistry(), "tls");
	}

	@Bean
	NettyTcpServerConnectionFactory tlsConnectionFactory(EventLoops loops, DescriptorBudget descriptors,
			@Qualifier("tlsMetrics") TcpMetrics metrics, TimestampProperties properties,
			ObjectProvider<SslBundles> bundles, ServiceMeters meters) {
		TimestampProperties.Tls tls = properties.tls();
		NettyTcpServerConnectionFactory factory = ConnectionFactories.create(loops, descriptors, metrics, properties,
				tls.port());
		factory.setListenerName("tls", "TLS");
		if (tls.enabled()) {
			SslProvider engine = engine(tls.engine());
			LogFactory.getLog("dev.timestamp.tls")
				.info("TLS engine: " + engine
						+ ((engine == SslProvider.OPENSSL) ? " (" + OpenSsl.versionString() + ")"
								: (tls.engine() == TlsEngine.JDK) ? " (the JDK's: timestamp.tls.engine=jdk)"
										: " (the JDK's; BoringSSL is not available here)"));
			factory.setTls(new BundleTlsTermination(bundles.getObject(), String.valueOf(tls.bundle()), tls.clientAuth(),
					tls.handshakeTimeout(), engine, new CertificateMeters(meters.registry())));
		}
		factory.setEnabled(tls.enabled());
		return factory;
	}

	@Bean
	SmartInitializingSingleton tlsHealthRegistration(TimestampProperties properties,
			@Qualifier("tlsConnectionFactory") NettyTcpServerConnectionFactory connectionFactory,
			ObjectProvider<HealthContributorRegistry> registry) {
		return () -> {
			if (properties.tls().enabled()) {
				registry.ifAvailable(
						(health) -> health.registerContributor("tls", new TcpHealthIndicator(connectionFactory)));
			}
		};
	}

	@Bean
	InfoContributor tlsInfoContributor(@Qualifier("tlsConnectionFactory") NettyTcpServerConnectionFactory factory,
			TimestampProperties properties) {
		if (!properties.tls().enabled()) {
			return (info) -> info.withDetail("tls", Map.of("enabled", false));
		}
		return (info) -> info.withDetail("tls",
				Map.of("enabled", true, "address", NetUtil.toAddressString(factory.getBindAddress()), "port",
						factory.getPort(), "bundle", String.valueOf(properties.tls().bundle()), "engine",
						engine(properties.tls().engine()).name().toLowerCase(Locale.ROOT)));
	}

	private static SslProvider engine(TlsEngine setting) {
		return switch (setting) {
			case AUTO -> SslContext.defaultServerProvider();
			case JDK -> SslProvider.JDK;
			case OPENSSL -> {
				if (!OpenSsl.isAvailable()) {
					throw new InvalidConfigurationPropertyValueException("timestamp.tls.engine", "openssl",
							"BoringSSL (netty-tcnative) is not available here: " + OpenSsl.unavailabilityCause()
									+ ". Use auto or jdk.");
				}
				yield SslProvider.OPENSSL;
			}
		};
	}

	@Bean
	IntegrationFlow tlsFlow(@Qualifier("tlsConnectionFactory") NettyTcpServerConnectionFactory connectionFactory,
			TimestampingService service, TimestampProperties properties) {
		boolean enabled = properties.tls().enabled();
		return IntegrationFlow.from(Tcp.inboundAdapter(connectionFactory).autoStartup(enabled))
			.transform(new StampTransformer(service))
			.handle(Tcp.outboundAdapter(connectionFactory), (endpoint) -> endpoint.autoStartup(enabled))
			.get();
	}

}
