package dev.timestamp.tcp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in every connection's pipeline: counts the connection as opened when accepted and
 * as closed, with the reason {@link ConnectionEnd} recorded, when its channel goes
 * inactive (by then every handler that closes it has said why).
 */
@Sharable
final class ConnectionAccounting extends ChannelInboundHandlerAdapter {

	private final ConnectionLimits limits;

	private final TcpMetrics metrics;

	private final Runnable whenNoneOpen;

	ConnectionAccounting(ConnectionLimits limits, TcpMetrics metrics, Runnable whenNoneOpen) {
		this.limits = limits;
		this.metrics = metrics;
		this.whenNoneOpen = whenNoneOpen;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.limits.opened();
		this.metrics.opened();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.metrics.closed(ConnectionEnd.reason(ctx.channel()));
		if (this.limits.closed() == 0) {
			this.whenNoneOpen.run();
		}
		ctx.fireChannelInactive();
	}

}
