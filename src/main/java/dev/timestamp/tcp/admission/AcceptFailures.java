package dev.timestamp.tcp.admission;

import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.connection.MinuteThrottle;
import dev.timestamp.tcp.connection.TcpMetrics;
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
public final class AcceptFailures extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tcp");

	static final long PAUSE_MILLIS = 50;

	private final TcpMetrics metrics;

	private final MinuteThrottle throttle = new MinuteThrottle();

	public AcceptFailures(TcpMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.metrics.acceptFailed();
		long heldBack = this.throttle.pass();
		if (heldBack != MinuteThrottle.HELD_BACK) {
			logger.warn("Could not accept " + (heldBack + 1) + " TCP connection(s) in the last minute ("
					+ cause.getMessage() + "); the listener retries every " + PAUSE_MILLIS
					+ " ms. See timestamp_tcp_accept_failures_total.");
		}
		if (ctx.channel().config().isAutoRead()) {
			ctx.channel().config().setAutoRead(false);
			ctx.executor()
				.schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

}
