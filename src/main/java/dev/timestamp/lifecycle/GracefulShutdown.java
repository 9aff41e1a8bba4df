package dev.timestamp.lifecycle;

import java.time.Duration;

import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drains the transports on shutdown, after readiness has turned (see
 * {@link ReadinessOnShutdown}) and before the adapters and the HTTP server stop: the TCP
 * listener stops accepting and UDP stops receiving; every request already read is
 * answered and flushed; each TCP connection then gets a FIN and is closed once its client
 * closes, or when the shutdown phase's time runs out. Spring Integration's own stop would
 * close every connection at once.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

	private final ObjectProvider<NettyTcpServerConnectionFactory> tcp;

	private final ObjectProvider<UdpInboundEndpoint> udp;

	private final Duration timeout;

	private volatile boolean running;

	GracefulShutdown(ObjectProvider<NettyTcpServerConnectionFactory> tcp, ObjectProvider<UdpInboundEndpoint> udp,
			@Value("${spring.lifecycle.timeout-per-shutdown-phase:20s}") Duration timeout) {
		this.tcp = tcp;
		this.udp = udp;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.timeout.toNanos() * 9 / 10;
		this.udp.ifAvailable(UdpInboundEndpoint::stopReceiving);
		NettyTcpServerConnectionFactory factory = this.tcp.getIfAvailable();
		if (factory == null || !factory.isRunning()) {
			return;
		}
		long graceMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
		logger.info(
				"Draining " + factory.getOpenConnectionCount() + " TCP connection(s), at most " + graceMillis + " ms");
		factory.shutdownGracefully(graceMillis);
		while (factory.getOpenConnectionCount() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After readiness ({@code MAX_VALUE}), before the HTTP server and the adapters. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 512;
	}

}
