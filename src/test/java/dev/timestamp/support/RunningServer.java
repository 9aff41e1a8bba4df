package dev.timestamp.support;

import dev.timestamp.TimestampServiceApplication;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real application, started in-process on ephemeral loopback ports.
 */
public final class RunningServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RunningServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Starts the application; later arguments override the test defaults. */
	public static RunningServer start(String... args) {
		return new RunningServer(new SpringApplicationBuilder(TimestampServiceApplication.class)
			.run(ApplicationCommand.withTestArguments(args).toArray(String[]::new)));
	}

	public int tcpPort() {
		return this.context.getBean(NettyTcpServerConnectionFactory.class).getPort();
	}

	public int tlsPort() {
		return this.context.getBean("tlsConnectionFactory", NettyTcpServerConnectionFactory.class).getPort();
	}

	public int udpPort() {
		return this.context.getBean(UdpInboundEndpoint.class).getPort();
	}

	/** The TCP port of the Time or Daytime listener ({@code rfc868}, {@code daytime}). */
	public int tcpPort(String timeProtocol) {
		return this.context.getBean(timeProtocol + "ConnectionFactory", NettyTcpServerConnectionFactory.class)
			.getPort();
	}

	/** The UDP port of the Time or Daytime listener ({@code rfc868}, {@code daytime}). */
	public int udpPort(String timeProtocol) {
		return this.context.getBean(timeProtocol + "UdpInbound", UdpInboundEndpoint.class).getPort();
	}

	/** The actuator's HTTP port. */
	public int httpPort() {
		return Integer.parseInt(this.context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** GETs an actuator path such as {@code /actuator/health}. */
	public HttpResult get(String path) {
		return HttpResult.get(httpPort(), path);
	}

	/** Scrapes {@code /actuator/prometheus}. */
	public PrometheusText scrape() {
		return PrometheusText.scrape(httpPort());
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public TcpTestClient connect() {
		return new TcpTestClient(tcpPort());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
