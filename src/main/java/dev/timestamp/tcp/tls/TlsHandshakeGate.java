package dev.timestamp.tcp.tls;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLException;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.HandshakeOutcome;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Right after the {@code SslHandler}: holds the connection back until its handshake has
 * completed (the handlers after it, and so the caps' later checks, the timers and the
 * flow, see only established sessions), counts each handshake's outcome, and closes a
 * failed one quietly: a failed handshake is the client's doing (plaintext on the TLS
 * port, an old protocol version, a missing client certificate) and is logged at DEBUG
 * only.
 */
public final class TlsHandshakeGate extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tls");

	private final TcpMetrics metrics;

	private boolean done;

	public TlsHandshakeGate(TcpMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		// Not passed on: the connection becomes active for the handlers after this one
		// once its handshake has succeeded.
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion && !this.done) {
			this.done = true;
			if (completion.isSuccess()) {
				this.metrics.handshake(HandshakeOutcome.OK);
				ctx.fireChannelActive();
				ctx.pipeline().remove(this);
			}
			else {
				failed(ctx, completion.cause());
			}
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Throwable tls = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		if (tls instanceof SSLException) {
			// The handshake's own failure, also reported as its completion event.
			if (!this.done) {
				this.done = true;
				failed(ctx, tls);
			}
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

	private void failed(ChannelHandlerContext ctx, Throwable cause) {
		HandshakeOutcome outcome = HandshakeOutcome.of(cause);
		this.metrics.handshake(outcome);
		if (logger.isDebugEnabled()) {
			logger.debug("TLS handshake with " + ClientAddress.text((InetSocketAddress) ctx.channel().remoteAddress())
					+ " failed (" + outcome.tag() + "): " + cause);
		}
		ConnectionEnd.close(ctx.channel(), CloseReason.TLS_HANDSHAKE);
	}

}
