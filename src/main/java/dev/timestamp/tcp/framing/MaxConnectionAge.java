package dev.timestamp.tcp.framing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Drains a connection at about {@code timestamp.tcp.max-connection-age} (as at shutdown)
 * so that clients reconnect and spread over new replicas; ages are spread by
 * {@link #AGE_JITTER} either way so that a fleet does not reconnect at once. The age
 * counts from when the connection becomes active for the flow, after its PROXY header and
 * its TLS handshake.
 */
public final class MaxConnectionAge extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(MaxConnectionAge.class);

	/**
	 * Max ages are spread by this fraction either way so a fleet does not reconnect at
	 * once.
	 */
	public static final double AGE_JITTER = 0.10;

	private final long maxAgeNanos;

	private @Nullable Future<?> ageLimit;

	public MaxConnectionAge(long maxAgeNanos) {
		this.maxAgeNanos = maxAgeNanos;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		long age = jittered(this.maxAgeNanos, ThreadLocalRandom.current().nextDouble());
		this.ageLimit = ctx.executor().schedule(() -> reachedMaxAge(ctx), age, TimeUnit.NANOSECONDS);
		ctx.fireChannelActive();
	}

	/**
	 * {@code maxAge} spread by up to {@link #AGE_JITTER} either way; {@code random} in
	 * [0, 1).
	 */
	public static long jittered(long maxAgeNanos, double random) {
		return (long) (maxAgeNanos * (1 - AGE_JITTER + 2 * AGE_JITTER * random));
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (this.ageLimit != null) {
			this.ageLimit.cancel(false);
		}
		ctx.fireChannelInactive();
	}

	private void reachedMaxAge(ChannelHandlerContext ctx) {
		if (logger.isDebugEnabled()) {
			logger.debug("Draining connection from " + ClientAddress.describe(ctx.channel()) + ": maximum age");
		}
		ConnectionEnd.end(ctx.channel(), CloseReason.MAX_AGE, null, ConnectionEnd.MAX_LINGER_MILLIS);
	}

}
