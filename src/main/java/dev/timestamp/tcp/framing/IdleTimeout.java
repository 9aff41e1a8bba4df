package dev.timestamp.tcp.framing;

import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closes a connection that sent no complete request for
 * {@code timestamp.tcp.idle-timeout}: Netty's reader-idle clock. A request, not a byte,
 * is what counts as activity, so the clock restarts on {@link #REQUESTS_READ}, which the
 * connection's bridge sends once per read batch that held requests (the clock is read
 * once per batch, as Netty does). It sits last in the pipeline, after the bridge, because
 * an {@code IdleStateHandler} also intercepts writes: placed before the bridge, every
 * reply batch passed through it, which cost 1.5 to 8 % of the CPU per request with 64
 * connections and one request in flight each (docs/decisions.md). Netty starts the clock
 * when the handler is added, at accept; it restarts when the connection becomes active
 * for the flow, after its PROXY header and its TLS handshake, which have timeouts of
 * their own.
 */
public final class IdleTimeout extends IdleStateHandler {

	private static final Log logger = LogFactory.getLog(IdleTimeout.class);

	/** Active for the flow: before that, the PROXY header and handshake timeouts rule. */
	private boolean active;

	/** Sent by the bridge after a read batch that held at least one request. */
	public static final Object REQUESTS_READ = new Object() {

		@Override
		public String toString() {
			return "REQUESTS_READ";
		}

	};

	public IdleTimeout(long idleTimeoutNanos) {
		super(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.active = true;
		resetReadTimeout();
		super.channelActive(ctx);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == REQUESTS_READ) {
			resetReadTimeout();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
		if (!this.active) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Closing idle connection from " + ClientAddress.describe(ctx.channel()));
		}
		ConnectionEnd.close(ctx.channel(), CloseReason.IDLE);
	}

}
