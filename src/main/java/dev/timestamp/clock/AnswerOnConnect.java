package dev.timestamp.clock;

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
 * client's doing, never logged above DEBUG).
 */
@Sharable
final class AnswerOnConnect extends ChannelInboundHandlerAdapter {

	private final Supplier<byte[]> reply;

	private final Counter replies;

	AnswerOnConnect(Supplier<byte[]> reply, Counter replies) {
		this.reply = reply;
		this.replies = replies;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
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
