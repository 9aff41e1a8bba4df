package dev.timestamp.tcp;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * On the listening socket: an accept that fails (above all "Too many open files") is
 * counted, logged at most once a minute, and accepting pauses briefly instead of
 * spinning; it resumes by itself, so new clients are served as soon as others leave.
 * Without it Netty logs two warnings a second and pauses for a whole second each time.
 */
@Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tcp");

	static final long PAUSE_MILLIS = 50;

	static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final TcpMetrics metrics;

	private long lastLogged = System.nanoTime() - LOG_INTERVAL_NANOS;

	private long unlogged;

	AcceptFailures(TcpMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.metrics.acceptFailed();
		this.unlogged++;
		long now = System.nanoTime();
		if (now - this.lastLogged >= LOG_INTERVAL_NANOS) {
			logger.warn("Could not accept " + this.unlogged + " TCP connection(s) in the last minute ("
					+ cause.getMessage() + "); the listener retries every " + PAUSE_MILLIS
					+ " ms. See timestamp_tcp_accept_failures_total.");
			this.lastLogged = now;
			this.unlogged = 0;
		}
		if (ctx.channel().config().isAutoRead()) {
			ctx.channel().config().setAutoRead(false);
			ctx.executor()
				.schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

}
