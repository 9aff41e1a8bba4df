package dev.timestamp.clock;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.timestamp.udp.SourceRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.jspecify.annotations.Nullable;

/**
 * UDP for both protocols: any datagram, whatever it holds, is answered with the reply. As
 * on the timestamp's UDP port, a datagram from a privileged source port (another system
 * service: a reflection loop) is dropped, and so is one over the source's rate when
 * {@code timestamp.udp.rate-limit} is on, since a short request that gets a longer reply
 * is what amplification attacks look for.
 */
@Sharable
final class AnswerDatagram extends SimpleChannelInboundHandler<DatagramPacket> {

	private final Supplier<byte[]> reply;

	private final int minSourcePort;

	private final @Nullable SourceRateLimiter rateLimiter;

	private final BooleanSupplier clockTrusted;

	private final Counter replies;

	private final Counter privilegedSourcePort;

	private final Counter rateLimited;

	private final Counter clockUnsynchronized;

	AnswerDatagram(Supplier<byte[]> reply, int minSourcePort, @Nullable SourceRateLimiter rateLimiter,
			BooleanSupplier clockTrusted, Counter replies, Counter privilegedSourcePort, Counter rateLimited,
			Counter clockUnsynchronized) {
		this.reply = reply;
		this.minSourcePort = minSourcePort;
		this.rateLimiter = rateLimiter;
		this.clockTrusted = clockTrusted;
		this.replies = replies;
		this.privilegedSourcePort = privilegedSourcePort;
		this.rateLimited = rateLimited;
		this.clockUnsynchronized = clockUnsynchronized;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket request) {
		InetSocketAddress sender = request.sender();
		if (sender.getPort() < this.minSourcePort) {
			this.privilegedSourcePort.increment();
			return;
		}
		SourceRateLimiter limiter = this.rateLimiter;
		if (limiter != null && !limiter.tryAcquire(sender.getAddress(), System.nanoTime())) {
			this.rateLimited.increment();
			return;
		}
		if (!this.clockTrusted.getAsBoolean()) {
			this.clockUnsynchronized.increment();
			return;
		}
		ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(this.reply.get()), sender));
		this.replies.increment();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// An ICMP error for an earlier reply, reported on the socket: nothing to do.
	}

}
