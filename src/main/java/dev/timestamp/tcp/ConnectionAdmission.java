package dev.timestamp.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Admits a connection once its client is known (after any PROXY header) or closes it on
 * the spot when it is over a cap; an admitted connection goes on without this handler.
 */
final class ConnectionAdmission extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionAdmission.class);

	private final ConnectionLimits limits;

	private final TcpMetrics metrics;

	ConnectionAdmission(ConnectionLimits limits, TcpMetrics metrics) {
		this.limits = limits;
		this.metrics = metrics;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		CloseReason over = this.limits.admit(ctx.channel(), ClientAddress.of(ctx.channel()).getAddress());
		if (over != null) {
			this.metrics.rejected(over);
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ClientAddress.describe(ctx.channel()) + " closed on accept: "
						+ ((over == CloseReason.LIMIT) ? "over " + this.limits.allowed() + " connections"
								: "over the connections allowed per source"));
			}
			ConnectionEnd.close(ctx.channel(), over);
			return;
		}
		ctx.fireChannelActive();
		ctx.pipeline().remove(this);
	}

}
