package dev.timestamp.lifecycle;

import java.nio.charset.StandardCharsets;

import dev.timestamp.TimestampServiceApplication;
import dev.timestamp.support.ApplicationCommand;
import dev.timestamp.support.Replies;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listeners answer as soon as their flows are whole, before the HTTP port and the web
 * stack behind it (WebFlux, Jackson, the actuator's endpoints) are built; that stack is
 * still built during the start, not by the first probe.
 */
@Timeout(60)
class StartupOrderIntegrationTests {

	@Test
	void answersTcpAndUdpBeforeTheHttpStackIsBuilt() {
		EarlyClient early = new EarlyClient();
		try (ConfigurableApplicationContext context = start(early)) {
			assertThat(early.tcpReply).as("TCP reply while the application starts").isNotNull();
			Replies.assertStamped(early.tcpReply, "early");
			assertThat(early.udpReply).as("UDP reply while the application starts").isNotNull();
			Replies.assertStamped(early.udpReply, "early");
			assertThat(early.httpStackBuilt).as("the web handler existed when the listeners answered").isFalse();
		}
	}

	@Test
	void buildsTheHttpStackBeforeTheStartEnds() {
		try (RunningServer server = RunningServer.start()) {
			assertThat(server.context().getBeanFactory().containsSingleton("webHandler"))
				.as("web handler built before any HTTP request")
				.isTrue();
		}
	}

	private static ConfigurableApplicationContext start(EarlyClient early) {
		return new SpringApplicationBuilder(TimestampServiceApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("earlyClient", early.in(context)))
			.run(ApplicationCommand.withTestArguments().toArray(String[]::new));
	}

	/**
	 * A client that talks to both listeners in the phase after they open, before the HTTP
	 * server's phase.
	 */
	private static final class EarlyClient extends PhasedLifecycle {

		private ConfigurableApplicationContext context;

		private byte[] tcpReply;

		private byte[] udpReply;

		private boolean httpStackBuilt;

		EarlyClient() {
			super(OpenForClients.PHASE + 1);
		}

		EarlyClient in(ConfigurableApplicationContext context) {
			this.context = context;
			return this;
		}

		@Override
		public void start() {
			this.httpStackBuilt = this.context.getBeanFactory().containsSingleton("webHandler");
			int tcpPort = this.context.getBean(NettyTcpServerConnectionFactory.class).getPort();
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				this.tcpReply = client.send("early\n").readCrlfLine();
			}
			this.udpReply = Udp.exchange(this.context.getBean(UdpInboundEndpoint.class).getPort(),
					"early".getBytes(StandardCharsets.US_ASCII));
			super.start();
		}

	}

}
