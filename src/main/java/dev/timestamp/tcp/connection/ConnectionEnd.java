package dev.timestamp.tcp.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * The one way a TCP connection is closed, whatever the reason: the first reason recorded
 * wins (it tags the close in the metrics); replies already written are flushed, then an
 * optional last line (an error reply); then the server closes its side (FIN). From then
 * on the client's input is read and dropped, and the connection is closed when the client
 * closes its side, or once the client has stopped reading its replies or, after the FIN,
 * stopped sending for {@link #LINGER_MILLIS} ({@link Linger}), or at the ending's
 * deadline. The client thus reads every reply, including the error, however slowly it
 * reads, instead of a reset that could destroy them.
 */
public final class ConnectionEnd {

	/**
	 * How long an ending connection waits for its client to read some of its replies or,
	 * once they and the FIN are sent, for it to stop sending, before it is closed.
	 */
	public static final long LINGER_MILLIS = 2000;

	/**
	 * The longest an ending takes, however steadily its client reads, except at shutdown,
	 * which has its own time.
	 */
	public static final long MAX_LINGER_MILLIS = 30_000;

	private static final AttributeKey<CloseReason> REASON = AttributeKey.valueOf(ConnectionEnd.class, "reason");

	private ConnectionEnd() {
	}

	/**
	 * Ends the connection (after a half-close) once the replies already queued are
	 * flushed, or once the client has read none of them for {@link #LINGER_MILLIS}.
	 */
	public static void close(Channel channel, CloseReason reason) {
		end(channel, reason, null, 0);
	}

	/**
	 * Ends the connection: flushes, writes {@code lastLine} if given, closes the output
	 * and closes the connection once the client has closed its side, or has gone
	 * {@link #LINGER_MILLIS} without reading a reply or, after the FIN, without sending,
	 * or after {@code lingerMillis} in all. Later calls only record nothing, except that
	 * a client that has closed its side (half-close) gets the connection closed once
	 * flushed.
	 */
	public static void end(Channel channel, CloseReason reason, @Nullable ByteBuf lastLine, long lingerMillis) {
		if (!channel.eventLoop().inEventLoop()) {
			channel.eventLoop().execute(() -> end(channel, reason, lastLine, lingerMillis));
			return;
		}
		boolean first = channel.attr(REASON).setIfAbsent(reason) == null;
		if (!first && lastLine != null) {
			lastLine.release();
		}
		if (!channel.isActive()) {
			if (first && lastLine != null) {
				lastLine.release();
			}
			channel.close();
			return;
		}
		ByteBuf last = (first && lastLine != null) ? lastLine : Unpooled.EMPTY_BUFFER;
		if (!first) {
			if (isInputShutdown(channel)) {
				channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
			}
			return;
		}
		// Input is read and dropped from here on (see isClosing), not left in the socket:
		// a full receive queue would keep the client from reading our FIN.
		channel.config().setAutoRead(true);
		if (lingerMillis <= 0 || isInputShutdown(channel) || !(channel instanceof DuplexChannel)) {
			ChannelFuture flushed = channel.writeAndFlush(last);
			if (!flushed.isDone()) {
				// Replies the client is not reading: without a bound on the wait, a
				// client that sends without reading would keep the connection, its input
				// read and dropped, for as long as it liked. Only then: on io_uring even
				// an empty flush completes later, so every ending comes here, and under
				// churn the checks would pile up.
				Linger.whileRead(channel, MAX_LINGER_MILLIS);
			}
			flushed.addListener((done) -> halfCloseThenClose(channel));
			return;
		}
		// After the replies already queued: shutting the output down fails unwritten
		// writes.
		channel.writeAndFlush(last).addListener((flushed) -> closeOutput((DuplexChannel) channel));
		Linger.whileReadOrSending(channel, lingerMillis);
	}

	/**
	 * Closes the connection at once, dropping the replies not yet sent: for a connection
	 * whose memory is needed by others.
	 */
	public static void abort(Channel channel, CloseReason reason) {
		record(channel, reason);
		closeNow(channel);
	}

	/**
	 * Closes the connection, over TLS beneath the {@code SslHandler}: no close_notify,
	 * which would tell the client that nothing was cut off, and which takes a 16 KB
	 * buffer to encrypt; flushing it would keep the connection and its memory for up to 3
	 * s more (a WARN each) when the client is not reading, and on io_uring until its
	 * write completes. For a connection whose graceful end has had its time, or is
	 * skipped.
	 */
	static void closeNow(Channel channel) {
		ChannelHandlerContext tls = channel.pipeline().context(SslHandler.class);
		if (tls != null) {
			tls.close();
		}
		else {
			channel.close();
		}
	}

	/**
	 * Closes the connection at once after a TLS record the engine refused, which the
	 * engine has answered with an alert. A client often closes its side on that alert
	 * before the engine's failure reaches here: that close is counted as the TLS error
	 * that caused it, not as the client's.
	 */
	public static void tlsFailed(Channel channel) {
		channel.attr(REASON).compareAndSet(CloseReason.CLIENT, CloseReason.TLS_ERROR);
		abort(channel, CloseReason.TLS_ERROR);
	}

	/**
	 * Records why the connection will end, for a caller that cannot close it yet; the
	 * close that follows, whatever calls it, is counted under this reason.
	 */
	public static void record(Channel channel, CloseReason reason) {
		channel.attr(REASON).setIfAbsent(reason);
	}

	private static void halfCloseThenClose(Channel channel) {
		// Once the client has closed its side, a close is a FIN too (nothing is left
		// unread to turn it into a reset), without the half-close that fails on a socket
		// the client has already left: two exceptions per connection under churn.
		if (!isInputShutdown(channel) && channel instanceof DuplexChannel duplex && channel.isActive()
				&& !duplex.isOutputShutdown()) {
			closeOutput(duplex).addListener((shut) -> channel.close());
		}
		else {
			channel.close();
		}
	}

	/**
	 * Closes the server's side: over TLS a close_notify goes first, which tells the
	 * client that nothing was cut off (a FIN alone reads as a truncation to a TLS client,
	 * "unexpected eof" to OpenSSL's).
	 */
	private static ChannelFuture closeOutput(DuplexChannel channel) {
		SslHandler tls = channel.pipeline().get(SslHandler.class);
		if (tls == null || !channel.isActive()) {
			return channel.shutdownOutput();
		}
		ChannelPromise shut = channel.newPromise();
		tls.closeOutbound().addListener((sent) -> channel.shutdownOutput(shut));
		return shut;
	}

	private static boolean isInputShutdown(Channel channel) {
		return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
	}

	/** Whether the connection is ending: its input is no longer answered. */
	public static boolean isClosing(Channel channel) {
		// hasAttr first: attr() would add the attribute to every open connection.
		return channel.hasAttr(REASON) && channel.attr(REASON).get() != null;
	}

	/** Why the connection ended; a connection nobody closed was closed by its client. */
	public static CloseReason reason(Channel channel) {
		CloseReason reason = channel.hasAttr(REASON) ? channel.attr(REASON).get() : null;
		return (reason != null) ? reason : CloseReason.CLIENT;
	}

}
