package dev.timestamp.tcp.tls;

import javax.net.ssl.SSLException;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.framing.FramingHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Right after the {@code SslHandler} on the TLS listener: sends the replies to each
 * decrypted record before the next record is decrypted. A client that ends its requests
 * with close_notify (TLS's half-close) then gets every reply: BoringSSL's engine closes
 * its sending side as well when it reads a close_notify, so replies still waiting for the
 * end of the read batch would be lost. The engine is made to decrypt one record at a time
 * for this ({@code SslContext.newEngine}, which Netty calls JDK-compatible mode).
 */
public final class TlsRecordReplies extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tls");

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		ctx.fireChannelRead(msg);
		// From the tail: the bridge holds the replies until a flush passes it. Not once
		// the connection is ending, when input is dropped and brings no reply: with
		// nothing to send, the SslHandler writes an empty buffer at each flush, and while
		// a client that reads slowly keeps sending, they would pile up behind its replies
		// by the million.
		if (!ConnectionEnd.isClosing(ctx.channel())) {
			ctx.channel().flush();
		}
	}

	/**
	 * The client's close_notify has been decrypted. An engine that can still send (the
	 * JDK's, over TLS 1.3) lets what is left unterminated be answered as the last
	 * request, as at a FIN. BoringSSL has closed its sending side by then: over TLS 1.2
	 * {@link TlsPartialRecord} saw the alert coming, over TLS 1.3 what is left can only
	 * be counted.
	 */
	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
			SslHandler tls = ctx.pipeline().get(SslHandler.class);
			if (tls != null && !tls.engine().isOutboundDone()) {
				ctx.fireUserEventTriggered(FramingHandler.ClientInput.ENDING);
				// The client sends nothing more: the end, once the replies are out, as
				// at a FIN.
				ConnectionEnd.close(ctx.channel(), CloseReason.CLIENT);
			}
			else {
				ctx.fireUserEventTriggered(FramingHandler.ClientInput.ENDED_UNANSWERABLE);
			}
		}
		ctx.fireUserEventTriggered(event);
	}

	/**
	 * A record the engine refused after the handshake (a bad record MAC, a renegotiation
	 * BoringSSL does not allow): the {@code SslHandler} has sent its alert and is closing
	 * the connection. The client's doing, so DEBUG only, and counted as a TLS error
	 * rather than as the client's close it would otherwise pass for.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Throwable tls = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		if (!(tls instanceof SSLException)) {
			ctx.fireExceptionCaught(cause);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("TLS connection from " + ClientAddress.describe(ctx.channel()) + " failed: " + tls);
		}
		ConnectionEnd.tlsFailed(ctx.channel());
	}

}
