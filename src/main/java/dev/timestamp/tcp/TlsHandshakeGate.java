package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
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
final class TlsHandshakeGate extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tls");

	private final TcpMetrics metrics;

	private boolean done;

	TlsHandshakeGate(TcpMetrics metrics) {
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

	/** How a handshake ended, the {@code outcome} tag of the handshake counter. */
	enum HandshakeOutcome {

		/** A session was established. */
		OK,

		/** The client did not speak TLS (plaintext on the TLS port). */
		NOT_TLS,

		/** No protocol version or cipher in common (TLS 1.1 and older are refused). */
		PROTOCOL,

		/** A certificate was missing or not trusted (the client's, under mutual TLS). */
		CERTIFICATE,

		/** Not complete within {@code timestamp.tls.handshake-timeout}. */
		TIMEOUT,

		/** The client closed the connection during the handshake. */
		CLOSED,

		/** Any other failure. */
		FAILED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

		static HandshakeOutcome of(Throwable cause) {
			if (cause instanceof NotSslRecordException) {
				return NOT_TLS;
			}
			if (cause instanceof SslHandshakeTimeoutException) {
				return TIMEOUT;
			}
			if (cause instanceof ClosedChannelException) {
				return CLOSED;
			}
			String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
			if (message.contains("certificate") || message.contains("certpath") || message.contains("unknown_ca")) {
				return CERTIFICATE;
			}
			if (message.contains("protocol") || message.contains("version") || message.contains("cipher")) {
				return PROTOCOL;
			}
			return FAILED;
		}

	}

}
