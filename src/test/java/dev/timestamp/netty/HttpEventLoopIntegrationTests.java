package dev.timestamp.netty;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.timestamp.TimestampServiceApplication;
import dev.timestamp.support.ApplicationCommand;
import dev.timestamp.support.HttpResult;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.netty.http.HttpResources;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The actuator's HTTP server runs on one event loop of the service's own transport
 * (Reactor Netty alone would choose io_uring where the kernel allows it), and that loop
 * ends with the application.
 */
@Timeout(60)
class HttpEventLoopIntegrationTests {

	@Test
	void servesHttpOnTheServicesOwnTransport() {
		try (ConfigurableApplicationContext context = start()) {
			int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
			assertThat(HttpResult.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(context.getBean(HttpChannels.class).types())
				.containsExactly(context.getBean(EventLoops.class).socketChannelType());
		}
	}

	@Test
	void servesASeparateManagementPortOnTheSameEventLoop() {
		// Reactor Netty's global loops (should anything have started them) start again
		// only for a server that uses them.
		HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(10)).block();
		await().atMost(Duration.ofSeconds(10)).until(() -> reactorNettyThreads().isEmpty());
		try (ConfigurableApplicationContext context = start("--management.server.port=0")) {
			int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
			assertThat(HttpResult.get(port, "/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(reactorNettyThreads()).isEmpty();
		}
	}

	@Test
	void endsItsEventLoopWithTheApplication() throws InterruptedException {
		EventLoopGroup loop;
		try (ConfigurableApplicationContext context = start()) {
			loop = context.getBean(ReactorResourceFactory.class).getLoopResources().onServer(true);
			assertThat(loop.isShuttingDown()).isFalse();
		}
		assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(TimestampServiceApplication.class, HttpChannels.class)
			.run(ApplicationCommand.withTestArguments(args).toArray(String[]::new));
	}

	private static Set<String> reactorNettyThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("reactor-http-"))
			.collect(Collectors.toSet());
	}

	/** Records the type of every HTTP connection the server accepts. */
	@Configuration(proxyBeanMethods = false)
	static class HttpChannels {

		private final Set<Class<? extends Channel>> types = ConcurrentHashMap.newKeySet();

		@Bean
		NettyServerCustomizer recordHttpChannelTypes() {
			return (server) -> server.doOnConnection((connection) -> this.types.add(connection.channel().getClass()));
		}

		Set<Class<? extends Channel>> types() {
			return this.types;
		}

	}

}
