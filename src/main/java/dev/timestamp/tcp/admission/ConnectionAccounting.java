package dev.timestamp.tcp.admission;

import java.util.concurrent.RejectedExecutionException;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * First in every connection's pipeline: counts the connection as opened when accepted and
 * as closed, with the reason {@link ConnectionEnd} recorded, when its channel goes
 * inactive (by then every handler that closes it has said why). Before any other handler
 * sees it, closes a connection whose peer is already gone, or that {@link CapOnAccept}
 * found over the cap in all as it was accepted: closed here, it is counted like any
 * other. When the open connections of every listener, shed ones still closing included,
 * leave no descriptors, it pauses the listener's accepting until closes (on any listener)
 * catch up: on io_uring closes complete later, and a flood could otherwise take the
 * descriptors kept back for the HTTP port's probes.
 */
@Sharable
public final class ConnectionAccounting extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionAccounting.class);

	private final ConnectionLimits limits;

	private final TcpMetrics metrics;

	private final Runnable whenNoneOpen;

	/**
	 * The listener, while its accepting is paused until closes catch up. Written only on
	 * the listener's event loop; read by connections closing on theirs.
	 */
	private volatile @Nullable Channel pausedListener;

	public ConnectionAccounting(ConnectionLimits limits, TcpMetrics metrics, Runnable whenNoneOpen) {
		this.limits = limits;
		this.metrics = metrics;
		this.whenNoneOpen = whenNoneOpen;
		limits.watchCloses(this::closeSeen);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.limits.opened();
		this.metrics.opened();
		Channel listener = ctx.channel().parent();
		if (listener != null && this.limits.descriptorsExhausted()) {
			pauseOrResumeAccepting(listener);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		Channel channel = ctx.channel();
		if (channel.remoteAddress() == null) {
			// The peer left before the connection was set up: io_uring then cannot tell
			// who it was (epoll has the address from the accept itself). Every handler
			// after this one may take the peer's address as known.
			ConnectionEnd.close(channel, CloseReason.CLIENT);
			return;
		}
		CloseReason overCap = CapOnAccept.overCap(channel);
		if (overCap != null) {
			this.metrics.rejected(overCap);
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ClientAddress.describe(channel) + " closed on accept: over "
						+ this.limits.allowed() + " connections");
			}
			ConnectionEnd.close(channel, overCap);
			return;
		}
		ctx.fireChannelActive();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.metrics.closed(ConnectionEnd.reason(ctx.channel()));
		// Tells every listener's accounting, this one's included (closeSeen).
		int open = this.limits.closed();
		if (open == 0) {
			this.whenNoneOpen.run();
		}
		ctx.fireChannelInactive();
	}

	/** A connection closed, on any listener: a paused listener may resume. */
	private void closeSeen() {
		Channel listener = this.pausedListener;
		if (listener != null) {
			pauseOrResumeAccepting(listener);
		}
	}

	/**
	 * Has the listener's event loop pause or resume accepting as the connections open
	 * then require. Only there: io_uring's listener cancels its accept in a task that
	 * does not check whether accepting was turned back on meanwhile, so a pause and a
	 * resume made on two connections' event loops could reach it in the wrong order and
	 * stop accepting for good.
	 */
	private void pauseOrResumeAccepting(Channel listener) {
		try {
			listener.eventLoop().execute(() -> pauseOrResumeOnListenerLoop(listener));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the listener is closed and accepts nothing any more.
		}
	}

	private void pauseOrResumeOnListenerLoop(Channel listener) {
		// The listener is set before the count is read, and a close counts before it
		// reads the listener: a close this count misses sees it and asks again.
		boolean wasPaused = this.pausedListener != null;
		this.pausedListener = listener;
		if (this.limits.descriptorsExhausted()) {
			// Again while paused: the pause after an accept failure may have turned
			// accepting back on.
			listener.config().setAutoRead(false);
			if (!wasPaused && logger.isDebugEnabled()) {
				logger.debug("Accepting paused: " + this.limits.open() + " connections open leave no file descriptors");
			}
		}
		else {
			this.pausedListener = null;
			if (wasPaused) {
				listener.config().setAutoRead(true);
				if (logger.isDebugEnabled()) {
					logger.debug("Accepting resumed: " + this.limits.open() + " connections open");
				}
			}
		}
	}

}
