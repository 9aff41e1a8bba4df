package dev.timestamp.udp;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.timestamp.metrics.RequestMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * First on a UDP socket's pipeline: counts the bytes received (once per read batch) and
 * lets through only the datagrams the service answers. Too large ones (never answered
 * truncated), ones from a privileged source port (a reflection loop with another system
 * service), ones over their source's rate, and for Time and Daytime all while the clock
 * is not trusted, are dropped and counted.
 */
final class DatagramAdmission extends ChannelInboundHandlerAdapter {

	private static final Log log = LogFactory.getLog("dev.timestamp.udp");

	private final int maxDatagramBytes;

	private final int minSourcePort;

	private final @Nullable SourceRateLimiter rateLimiter;

	private final UdpMetrics metrics;

	private final RequestMetrics requestMetrics;

	private final LongSupplier clock;

	private final BooleanSupplier answerable;

	/** Bytes received since the count was last published. */
	private long bytesRead;

	DatagramAdmission(int maxDatagramBytes, int minSourcePort, @Nullable SourceRateLimiter rateLimiter,
			UdpMetrics metrics, LongSupplier clock, BooleanSupplier answerable) {
		this.maxDatagramBytes = maxDatagramBytes;
		this.minSourcePort = minSourcePort;
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
		this.requestMetrics = metrics.requests();
		this.clock = clock;
		this.answerable = answerable;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof DatagramPacket packet)) {
			ctx.fireChannelRead(msg);
			return;
		}
		int size = packet.content().readableBytes();
		this.bytesRead += size;
		DropReason dropped = dropReason(packet, size);
		if (dropped == null) {
			ctx.fireChannelRead(packet);
			return;
		}
		packet.release();
		this.metrics.dropped(dropped);
		if (log.isDebugEnabled()) {
			log.debug("Dropped a datagram of " + size + " bytes from " + packet.sender() + " (" + dropped.tag() + ")");
		}
	}

	private @Nullable DropReason dropReason(DatagramPacket packet, int size) {
		if (size > this.maxDatagramBytes) {
			return DropReason.TOO_LARGE;
		}
		if (packet.sender().getPort() < this.minSourcePort) {
			return DropReason.PRIVILEGED_SOURCE_PORT;
		}
		SourceRateLimiter limiter = this.rateLimiter;
		if (limiter != null && !limiter.tryAcquire(packet.sender().getAddress(), this.clock.getAsLong())) {
			return DropReason.RATE_LIMITED;
		}
		if (!this.answerable.getAsBoolean()) {
			return DropReason.CLOCK_UNSYNCHRONIZED;
		}
		return null;
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.bytesRead > 0) {
			this.requestMetrics.received(this.bytesRead);
			this.bytesRead = 0;
		}
		ctx.fireChannelReadComplete();
	}

}
