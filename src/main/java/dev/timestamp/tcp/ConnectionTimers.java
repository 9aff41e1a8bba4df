package dev.timestamp.tcp;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A connection's clocks: the idle timeout (no complete request for that long closes it)
 * and the maximum age (at which it is drained as at shutdown, so that clients reconnect
 * and spread over new replicas). Requests pass through on their way to the bridge; only
 * whether one passed in a read batch is noted.
 */
final class ConnectionTimers extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionTimers.class);

	/**
	 * Max ages are spread by this fraction either way so a fleet does not reconnect at
	 * once.
	 */
	static final double AGE_JITTER = 0.10;

	private final long idleTimeoutNanos;

	private final long maxAgeNanos;

	private long lastRequestNanos;

	private boolean requestInBatch;

	private @Nullable Future<?> idleCheck;

	private @Nullable Future<?> ageLimit;

	/** Timers for one connection; a {@code maxAgeNanos} of 0 is no maximum age. */
	ConnectionTimers(long idleTimeoutNanos, long maxAgeNanos) {
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.maxAgeNanos = maxAgeNanos;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.lastRequestNanos = ctx.executor().ticker().nanoTime();
		scheduleIdleCheck(ctx, this.idleTimeoutNanos);
		if (this.maxAgeNanos > 0) {
			long age = jittered(this.maxAgeNanos, ThreadLocalRandom.current().nextDouble());
			this.ageLimit = ctx.executor().schedule(() -> reachedMaxAge(ctx), age, TimeUnit.NANOSECONDS);
		}
		ctx.fireChannelActive();
	}

	/**
	 * {@code maxAge} spread by up to {@link #AGE_JITTER} either way; {@code random} in
	 * [0, 1).
	 */
	static long jittered(long maxAgeNanos, double random) {
		return (long) (maxAgeNanos * (1 - AGE_JITTER + 2 * AGE_JITTER * random));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		this.requestInBatch = true;
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		if (this.requestInBatch) {
			// One clock read per batch; a complete request is what keeps a connection
			// from the idle timeout.
			this.requestInBatch = false;
			this.lastRequestNanos = ctx.executor().ticker().nanoTime();
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (this.idleCheck != null) {
			this.idleCheck.cancel(false);
		}
		if (this.ageLimit != null) {
			this.ageLimit.cancel(false);
		}
		ctx.fireChannelInactive();
	}

	private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
		this.idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void checkIdle(ChannelHandlerContext ctx) {
		if (!ctx.channel().isOpen()) {
			return;
		}
		long idle = ctx.executor().ticker().nanoTime() - this.lastRequestNanos;
		if (idle >= this.idleTimeoutNanos) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing idle connection from " + ClientAddress.describe(ctx.channel()));
			}
			ConnectionEnd.close(ctx.channel(), CloseReason.IDLE);
		}
		else {
			scheduleIdleCheck(ctx, this.idleTimeoutNanos - idle);
		}
	}

	private void reachedMaxAge(ChannelHandlerContext ctx) {
		if (logger.isDebugEnabled()) {
			logger.debug("Draining connection from " + ClientAddress.describe(ctx.channel()) + ": maximum age");
		}
		ConnectionEnd.end(ctx.channel(), CloseReason.MAX_AGE, null, ConnectionEnd.LINGER_MILLIS);
	}

}
