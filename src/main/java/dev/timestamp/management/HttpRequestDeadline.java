package dev.timestamp.management;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Bounds an HTTP connection as the timestamp port bounds a TCP one: a connection without
 * a complete request head within the timeout (after it opened, or after its last
 * response) is closed, so neither an idle nor a half-sent nor a byte-at-a-time request
 * holds it. Requests the codec could not decode are counted here; Reactor Netty answers
 * them (400, 431).
 */
final class HttpRequestDeadline extends ChannelDuplexHandler {

	private final long timeoutNanos;

	private final HttpMetrics metrics;

	private @Nullable Future<?> deadline;

	HttpRequestDeadline(long timeoutNanos, HttpMetrics metrics) {
		this.timeoutNanos = timeoutNanos;
		this.metrics = metrics;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			arm(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		arm(ctx);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest request) {
			disarm();
			if (request.decoderResult().isFailure()) {
				this.metrics.rejected(request.decoderResult().cause() instanceof TooLongFrameException);
			}
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof LastHttpContent) {
			// The response is complete: the next request has the same time to arrive.
			promise = promise.unvoid().addListener((written) -> arm(ctx));
		}
		super.write(ctx, msg, promise);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		disarm();
		super.channelInactive(ctx);
	}

	private void arm(ChannelHandlerContext ctx) {
		disarm();
		if (ctx.channel().isActive()) {
			this.deadline = ctx.executor().schedule(() -> {
				this.metrics.timedOut();
				ctx.close();
			}, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void disarm() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

}
