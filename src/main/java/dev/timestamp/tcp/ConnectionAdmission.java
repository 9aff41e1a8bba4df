package dev.timestamp.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Admits a connection or closes it on the spot when it is over a cap; an admitted
 * connection goes on without this handler. The cap in all was decided as the connection
 * was accepted ({@link CapOnAccept}) and is applied when it becomes active; the cap per
 * source is checked once its client is known. With the PROXY protocol on, that is after
 * the header, so the two caps are two handlers on either side of it.
 */
final class ConnectionAdmission extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionAdmission.class);

	private final ConnectionLimits limits;

	private final TcpMetrics metrics;

	private final boolean toCap;

	private final boolean fromSource;

	private ConnectionAdmission(ConnectionLimits limits, TcpMetrics metrics, boolean toCap, boolean fromSource) {
		this.limits = limits;
		this.metrics = metrics;
		this.toCap = toCap;
		this.fromSource = fromSource;
	}

	/** Applies both caps: the client is the peer. */
	static ConnectionAdmission toBothCaps(ConnectionLimits limits, TcpMetrics metrics) {
		return new ConnectionAdmission(limits, metrics, true, true);
	}

	/** Applies the cap in all, before a PROXY header says who the client is. */
	static ConnectionAdmission toCap(ConnectionLimits limits, TcpMetrics metrics) {
		return new ConnectionAdmission(limits, metrics, true, false);
	}

	/** Checks the cap per source, once a PROXY header has said who the client is. */
	static ConnectionAdmission fromSource(ConnectionLimits limits, TcpMetrics metrics) {
		return new ConnectionAdmission(limits, metrics, false, true);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		CloseReason over = this.toCap ? CapOnAccept.overCap(ctx.channel()) : null;
		if (over == null && this.fromSource) {
			over = this.limits.admitFromSource(ctx.channel(), ClientAddress.of(ctx.channel()).getAddress());
		}
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
