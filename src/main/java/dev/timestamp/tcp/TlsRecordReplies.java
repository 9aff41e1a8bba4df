package dev.timestamp.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Right after the {@code SslHandler} on the TLS listener: sends the replies to each
 * decrypted record before the next record is decrypted. A client that ends its requests
 * with close_notify (TLS's half-close) then gets every reply: BoringSSL's engine closes
 * its sending side as well when it reads a close_notify, so replies still waiting for the
 * end of the read batch would be lost. The engine is made to decrypt one record at a time
 * for this ({@code SslContext.newEngine}, which Netty calls JDK-compatible mode).
 */
final class TlsRecordReplies extends ChannelInboundHandlerAdapter {

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		ctx.fireChannelRead(msg);
		// From the tail: the bridge holds the replies until a flush passes it.
		ctx.channel().flush();
	}

}
