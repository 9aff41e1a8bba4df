package dev.timestamp.lifecycle;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.stereotype.Component;

/**
 * Drains the transports on shutdown, after readiness has turned (see
 * {@link ReadinessOnShutdown}) and before the adapters and the HTTP server stop: the TCP
 * listeners stop accepting and the UDP ones stop receiving; every request already read is
 * answered and flushed; each TCP connection then gets a FIN and is closed once its client
 * closes, or when the shutdown phase's time
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}) runs out. Spring Integration's
 * own stop would close every connection at once. As Spring Boot's own graceful shutdown,
 * it reports the end through {@link #stop(Runnable)} instead of holding the shutdown
 * thread.
 */
@Component
class GracefulShutdown extends PhasedLifecycle {

	private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

	private final ObjectProvider<NettyTcpServerConnectionFactory> tcp;

	private final ObjectProvider<UdpInboundEndpoint> udp;

	private final LifecycleProperties lifecycle;

	GracefulShutdown(ObjectProvider<NettyTcpServerConnectionFactory> tcp, ObjectProvider<UdpInboundEndpoint> udp,
			LifecycleProperties lifecycle) {
		super(ShutdownPhases.DRAIN);
		this.tcp = tcp;
		this.udp = udp;
		this.lifecycle = lifecycle;
	}

	@Override
	public void stop(Runnable callback) {
		super.stop();
		this.udp.orderedStream().forEach(UdpInboundEndpoint::stopReceiving);
		List<NettyTcpServerConnectionFactory> listeners = this.tcp.orderedStream()
			.filter(NettyTcpServerConnectionFactory::isRunning)
			.toList();
		if (listeners.isEmpty()) {
			callback.run();
			return;
		}
		// A tenth of the phase is left for the closes to complete.
		long graceMillis = Math.max(1, this.lifecycle.getTimeoutPerShutdownPhase().toMillis() * 9 / 10);
		AtomicInteger draining = new AtomicInteger(listeners.size());
		for (NettyTcpServerConnectionFactory listener : listeners) {
			logger.info("Draining " + listener.getOpenConnectionCount() + " " + listener.getListenerName()
					+ " connection(s), at most " + graceMillis + " ms");
			listener.shutdownGracefully(graceMillis, () -> {
				if (draining.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	@Override
	public void stop() {
		CountDownLatch drained = new CountDownLatch(1);
		stop(drained::countDown);
		try {
			drained.await(this.lifecycle.getTimeoutPerShutdownPhase().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
