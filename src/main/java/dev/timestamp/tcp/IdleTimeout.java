package dev.timestamp.tcp;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closes a connection that sent no complete request for
 * {@code timestamp.tcp.idle-timeout}: Netty's reader-idle clock, after the framing, so
 * that a request, not a byte, is what counts as activity (the clock is read once per read
 * batch, as Netty does).
 */
final class IdleTimeout extends IdleStateHandler {

	// The timers' log (dev.timestamp.tcp.ConnectionTimers), where the idle closes are
	// looked for.
	private static final Log logger = LogFactory.getLog(ConnectionTimers.class);

	IdleTimeout(long idleTimeoutNanos) {
		super(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS);
	}

	@Override
	protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
		if (logger.isDebugEnabled()) {
			logger.debug("Closing idle connection from " + ClientAddress.describe(ctx.channel()));
		}
		ConnectionEnd.close(ctx.channel(), CloseReason.IDLE);
	}

}
