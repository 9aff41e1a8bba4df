package dev.timestamp.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * With {@code management.server.port} set, the actuator runs in a child context on a
 * server of its own, which the application's server customizers do not reach: the same
 * request deadlines and counts are applied to it here, and it runs on the application's
 * HTTP event loop (it would otherwise take Reactor Netty's global ones, on io_uring where
 * the kernel allows it).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementPortConfiguration {

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> applicationHttpSettingsOnTheManagementPort(
			NettyServerCustomizer requestDeadlines, ReactorResourceFactory httpEventLoop) {
		return (factory) -> {
			factory.setResourceFactory(httpEventLoop);
			factory.addServerCustomizers(requestDeadlines);
		};
	}

}
