package dev.timestamp.tcp.admission;

import dev.timestamp.tcp.connection.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * On the listening socket, before Netty hands an accepted connection to its event loop:
 * takes the connection's place under the cap in all, in the order connections are
 * accepted. The connections' event loops run side by side; deciding on them would serve
 * whichever connections of a flood their loops reached first, not the first ones.
 * {@link ConnectionAccounting} closes a connection found over the cap once it is set up,
 * so that it is counted like any other.
 */
@Sharable
public final class CapOnAccept extends ChannelInboundHandlerAdapter {

	private static final AttributeKey<CloseReason> OVER_CAP = AttributeKey.valueOf(CapOnAccept.class, "overCap");

	private final ConnectionLimits limits;

	public CapOnAccept(ConnectionLimits limits) {
		this.limits = limits;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof Channel connection) {
			take(connection);
		}
		ctx.fireChannelRead(msg);
	}

	/** Takes the connection's place, or marks it as over the cap. */
	public void take(Channel connection) {
		CloseReason over = this.limits.admitToCap(connection);
		if (over != null) {
			connection.attr(OVER_CAP).set(over);
		}
	}

	/** Why the connection is over the cap in all, or {@code null} if it has its place. */
	public static @Nullable CloseReason overCap(Channel connection) {
		return connection.hasAttr(OVER_CAP) ? connection.attr(OVER_CAP).get() : null;
	}

}
