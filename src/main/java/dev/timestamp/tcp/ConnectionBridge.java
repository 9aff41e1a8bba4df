package dev.timestamp.tcp;

import java.io.IOException;

import dev.timestamp.metrics.ReadTiming;
import dev.timestamp.metrics.RequestMetrics;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.MinuteThrottle;
import dev.timestamp.tcp.framing.FramingHandler;
import dev.timestamp.tcp.framing.IdleTimeout;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The end of the pipeline: hands each request to the connection's Spring Integration side
 * (and so to the flow, whose reply is batched by the connection), flushes the replies
 * once per read batch, and ends the connection when the client closes its side or
 * something fails. Anything written to the channel from elsewhere (an error line, the end
 * of a drain) first pushes out the batched replies, so replies keep their order.
 */
final class ConnectionBridge extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(ConnectionBridge.class);

	/**
	 * Allocations fail in floods, for every connection that needs memory at once: one
	 * WARN a minute.
	 */
	private static final MinuteThrottle allocationFailures = new MinuteThrottle();

	private static final MinuteThrottle unexpectedFailures = new MinuteThrottle();

	private final NettyTcpServerConnectionFactory factory;

	private final RequestMetrics requestMetrics;

	private final ReadTiming timing;

	private @Nullable NettyTcpConnection connection;

	/**
	 * Whether the current read batch held a request: the idle clock restarts after it.
	 */
	private boolean requestsRead;

	ConnectionBridge(NettyTcpServerConnectionFactory factory, RequestMetrics requestMetrics) {
		this.factory = factory;
		this.requestMetrics = requestMetrics;
		this.timing = new ReadTiming(requestMetrics);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.connection = this.factory.connected(ctx);
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		NettyTcpConnection conn = this.connection;
		if (conn == null || !(msg instanceof byte[] request)) {
			ctx.fireChannelRead(msg);
			return;
		}
		this.requestsRead = true;
		long start = this.timing.start();
		try {
			conn.receive(request);
			this.timing.answered(start);
		}
		catch (RuntimeException ex) {
			unexpected(ctx.channel(), ex);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.timing.readComplete();
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.publishCounts(this.requestMetrics);
			conn.flushIfPending();
		}
		if (this.requestsRead) {
			this.requestsRead = false;
			ctx.fireUserEventTriggered(IdleTimeout.REQUESTS_READ);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		NettyTcpConnection conn = this.connection;
		if (event == FramingHandler.ReplyFraming.RAW && conn != null) {
			conn.replyRaw();
		}
		else if (event instanceof ChannelInputShutdownEvent) {
			// The client is done sending and what it sent has been answered: end once the
			// replies are out.
			if (conn != null) {
				conn.publishCounts(this.requestMetrics);
			}
			ConnectionEnd.close(ctx.channel(), CloseReason.CLIENT);
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.writeBatch();
		}
		ctx.write(msg, promise);
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.writeBatch();
		}
		ctx.flush();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		NettyTcpConnection conn = this.connection;
		if (conn != null) {
			conn.releaseBatch();
			conn.publishCounts(this.requestMetrics);
			this.factory.disconnected(conn, ConnectionEnd.reason(ctx.channel()));
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Channel channel = ctx.channel();
		if (cause instanceof OutOfMemoryError) {
			// An allocation failed. A graceful end needs memory too (a flush, a TLS
			// close_notify), and when that fails it comes straight back here.
			long heldBack = allocationFailures.pass();
			if (heldBack != MinuteThrottle.HELD_BACK) {
				logger.warn("Memory ran out (" + cause + "): closed the connection from "
						+ ClientAddress.describe(channel) + " at once, its unsent replies dropped. Such connections"
						+ " are counted as timestamp_tcp_connections_closed_total{reason=\"memory\"} (timestamp_tls_… on the"
						+ " TLS listener); give the JVM more"
						+ " direct memory (-XX:MaxDirectMemorySize) or lower timestamp.tcp.memory-pressure-percent"
						+ MinuteThrottle.repeats(heldBack) + ".");
			}
			ConnectionEnd.abort(channel, CloseReason.MEMORY);
		}
		else if (ConnectionEnd.isClosing(channel)) {
			// A failure on the way out (the flush, the TLS close_notify): ending again
			// would go the same way.
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ClientAddress.describe(channel) + " failed while ending: " + cause);
			}
			ConnectionEnd.abort(channel, CloseReason.ERROR);
		}
		else if (cause instanceof IOException) {
			// Resets and broken pipes are the client's doing and no concern of the
			// server's.
			if (logger.isDebugEnabled()) {
				logger.debug(
						"Connection from " + ClientAddress.describe(ctx.channel()) + " failed: " + cause.getMessage());
			}
			ConnectionEnd.close(ctx.channel(), CloseReason.CLIENT);
		}
		else {
			unexpected(channel, cause);
		}
	}

	/**
	 * A failure nobody foresaw ends the connection as an error. A client may be able to
	 * cause it on every connection, so the WARN is throttled and carries no stack trace;
	 * the trace is at DEBUG.
	 */
	private static void unexpected(Channel channel, Throwable cause) {
		long heldBack = unexpectedFailures.pass();
		if (heldBack != MinuteThrottle.HELD_BACK) {
			logger.warn("Closed the connection from " + ClientAddress.describe(channel)
					+ " after an unexpected failure (" + cause
					+ "); such connections are counted as timestamp_tcp_connections_closed_total{reason=\"error\"}"
					+ " (timestamp_tls_… on the TLS listener), with the stack trace at DEBUG for"
					+ " dev.timestamp.tcp.ConnectionBridge" + MinuteThrottle.repeats(heldBack) + ".");
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Unexpected failure on the connection from " + ClientAddress.describe(channel), cause);
		}
		ConnectionEnd.close(channel, CloseReason.ERROR);
	}

}
