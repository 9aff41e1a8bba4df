package dev.timestamp.bench;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLException;

import dev.timestamp.client.ProxyOptions;
import dev.timestamp.client.TlsOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

/**
 * What a load connection sends before its requests, in the order a load balancer and a
 * TLS client would: the PROXY header in plaintext, then the TLS handshake.
 */
final class ConnectionPreamble extends ChannelInboundHandlerAdapter {

	private final ProxyOptions proxy;

	private ConnectionPreamble(ProxyOptions proxy) {
		this.proxy = proxy;
	}

	/**
	 * Adds the preamble's handlers to a new connection's pipeline, before the load's own
	 * handler.
	 */
	static void addTo(Channel channel, BenchOptions options, @Nullable SslContext tls) {
		ChannelPipeline pipeline = channel.pipeline();
		if (options.connect.proxy().enabled()) {
			pipeline.addLast(new ConnectionPreamble(options.connect.proxy()));
		}
		if (tls != null) {
			pipeline.addLast(tls.newHandler(channel.alloc(), options.host, options.port));
		}
	}

	/**
	 * The client context for {@code --tls}, or {@code null} without it. Without
	 * {@code resume} it keeps no sessions, so that every connection makes a full
	 * handshake (with BoringSSL; the JDK's engine cannot be told so).
	 */
	static @Nullable SslContext tls(TlsOptions options, boolean resume) {
		if (!options.enabled()) {
			return null;
		}
		try {
			SslContext context = options.context(SslContext.defaultClientProvider());
			if (!resume && context.sessionContext() instanceof OpenSslSessionContext sessions) {
				sessions.setSessionCacheEnabled(false);
			}
			return context;
		}
		catch (SSLException ex) {
			throw new IllegalArgumentException("cannot set up TLS: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		byte[] header = this.proxy.header((InetSocketAddress) ctx.channel().remoteAddress());
		if (header != null) {
			ctx.writeAndFlush(Unpooled.wrappedBuffer(header), ctx.voidPromise());
		}
		ctx.pipeline().remove(this);
		super.channelActive(ctx);
	}

}
