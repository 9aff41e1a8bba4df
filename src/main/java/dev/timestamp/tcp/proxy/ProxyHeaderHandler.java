package dev.timestamp.tcp.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes the header Netty's {@code HAProxyMessageDecoder} decoded from a trusted proxy: a
 * {@code PROXY} command with TCP or UDP over IPv4 or IPv6 declares the client, whose
 * address the connection then has everywhere; a {@code LOCAL} command (the proxy's own
 * health check) or an unknown or Unix-socket family leaves the proxy's address. Then the
 * connection becomes active for the handlers after this one. A malformed header closes
 * it.
 */
public final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tcp.proxy");

	private final @Nullable Future<?> headerTimeout;

	public ProxyHeaderHandler(@Nullable Future<?> headerTimeout) {
		this.headerTimeout = headerTimeout;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (!(msg instanceof HAProxyMessage header)) {
			ctx.fireChannelRead(msg);
			return;
		}
		try {
			InetSocketAddress client = declaredClient(header);
			if (client != null) {
				ClientAddress.declare(ctx.channel(), client);
			}
		}
		finally {
			header.release();
		}
		if (this.headerTimeout != null) {
			this.headerTimeout.cancel(false);
		}
		ctx.fireChannelActive();
		ctx.pipeline().remove(this);
	}

	/** The client the header declares, or {@code null} when it declares none. */
	public static @Nullable InetSocketAddress declaredClient(HAProxyMessage header) {
		if (header.command() != HAProxyCommand.PROXY) {
			return null;
		}
		HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
		if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
				&& family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
			return null;
		}
		InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
		return (address != null) ? new InetSocketAddress(address, header.sourcePort()) : null;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Any failure of the header decoder is a malformed header: its parser throws
		// IndexOutOfBoundsException, not HAProxyProtocolException, for an extension whose
		// length runs past the header. The decoder wraps all it throws in a
		// DecoderException; a failed read (a reset) goes on as the client's doing.
		if (cause instanceof DecoderException) {
			Throwable problem = (cause instanceof HAProxyProtocolException || cause.getCause() == null) ? cause
					: cause.getCause();
			if (this.headerTimeout != null) {
				this.headerTimeout.cancel(false);
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ClientAddress.text((InetSocketAddress) ctx.channel().remoteAddress())
						+ " closed: bad PROXY header (" + problem + ")");
			}
			ConnectionEnd.close(ctx.channel(), CloseReason.PROXY_PROTOCOL);
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

}
