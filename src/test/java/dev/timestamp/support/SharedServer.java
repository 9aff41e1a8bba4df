package dev.timestamp.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real application for all the tests of a class, started before the first and closed
 * after the last:
 * {@code @RegisterExtension static final SharedServer server = new SharedServer("--timestamp.tcp.framing=crlf");}
 */
public final class SharedServer implements BeforeAllCallback, AfterAllCallback {

	private final String[] args;

	private RunningServer server;

	public SharedServer(String... args) {
		this.args = args;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server = RunningServer.start(this.args);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.server != null) {
			this.server.close();
		}
	}

	/** The running application. */
	public RunningServer running() {
		return this.server;
	}

	public int tcpPort() {
		return this.server.tcpPort();
	}

	public int udpPort() {
		return this.server.udpPort();
	}

	public int httpPort() {
		return this.server.httpPort();
	}

	public HttpResult get(String path) {
		return this.server.get(path);
	}

	public PrometheusText scrape() {
		return this.server.scrape();
	}

	public ConfigurableApplicationContext context() {
		return this.server.context();
	}

	public TcpTestClient connect() {
		return this.server.connect();
	}

}
