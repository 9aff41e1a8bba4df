package dev.timestamp.tcp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in every connection's pipeline: counts the connection as opened when accepted and
 * as closed, with the reason {@link ConnectionEnd} recorded, when its channel goes
 * inactive (by then every handler that closes it has said why); closes one whose peer is
 * already gone before any other handler sees it.
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
	public void channelActive(ChannelHandlerContext ctx) {
		if (ctx.channel().remoteAddress() == null) {
			// The peer left before the connection was set up: io_uring then cannot tell
			// who it was (epoll has the address from the accept itself). Every handler
			// after this one may take the peer's address as known.
			ConnectionEnd.close(ctx.channel(), CloseReason.CLIENT);
			return;
		}
		ctx.fireChannelActive();
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
