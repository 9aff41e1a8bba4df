package dev.timestamp.clock;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * TCP for both protocols: the reply as the connection opens, then the server closes.
 * Anything the client sends is discarded; a failure just closes the connection (the
 * client's doing, never logged above DEBUG). While the clock is not trusted (with
 * {@code timestamp.clock.readiness}) the connection is closed without a reply, as RFC 868
 * asks of a server that cannot determine the time.
 */
@Sharable
final class AnswerOnConnect extends ChannelInboundHandlerAdapter {

	private final Supplier<byte[]> reply;

	private final BooleanSupplier clockTrusted;

	private final Counter replies;

	private final Counter refused;

	AnswerOnConnect(Supplier<byte[]> reply, BooleanSupplier clockTrusted, Counter replies, Counter refused) {
		this.reply = reply;
		this.clockTrusted = clockTrusted;
		this.replies = replies;
		this.refused = refused;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (!this.clockTrusted.getAsBoolean()) {
			this.refused.increment();
			ctx.close();
			return;
		}
		ctx.writeAndFlush(Unpooled.wrappedBuffer(this.reply.get())).addListener(ChannelFutureListener.CLOSE);
		this.replies.increment();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		ReferenceCountUtil.release(msg);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
