package dev.timestamp.tcp.framing;

import java.util.function.BooleanSupplier;

import dev.timestamp.metrics.RequestMetrics;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The framing of a protocol whose request is the connection itself (RFC 868 Time, RFC 867
 * Daytime): once the connection is admitted it passes on one empty request, whose reply
 * the bridge flushes, and the server closes. What the client sends is read and dropped.
 * While the listener cannot answer (the clock is not trusted), the connection is closed
 * without a reply, as RFC 868 asks of a server that cannot determine the time.
 */
@Sharable
public final class RequestOnConnect extends ChannelInboundHandlerAdapter {

	private static final byte[] REQUEST = new byte[0];

	private final BooleanSupplier answerable;

	/** Counts what the client sends, which is dropped. */
	private final RequestMetrics received;

	public RequestOnConnect(TcpMetrics metrics, BooleanSupplier answerable) {
		this.received = metrics.requests();
		this.answerable = answerable;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		// The bridge makes the connection first.
		ctx.fireChannelActive();
		if (!this.answerable.getAsBoolean()) {
			ConnectionEnd.close(ctx.channel(), CloseReason.CLOCK_UNSYNCHRONIZED);
			return;
		}
		ctx.fireChannelRead(REQUEST);
		ctx.fireChannelReadComplete();
		ConnectionEnd.close(ctx.channel(), CloseReason.ANSWERED);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			this.received.received(bytes.readableBytes());
		}
		ReferenceCountUtil.release(msg);
	}

}
