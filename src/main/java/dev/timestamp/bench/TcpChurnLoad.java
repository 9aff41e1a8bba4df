package dev.timestamp.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.timestamp.framing.FrameDecoder;
import dev.timestamp.framing.FrameError;
import dev.timestamp.framing.FrameSink;
import dev.timestamp.framing.Framing;
import dev.timestamp.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

/**
 * {@code bench churn}: {@code --connections} workers, each looping connect, (PROXY
 * header,) one request, its reply, close. Measures what a new connection costs the
 * server; latency runs from the start of the connect to the reply.
 */
final class TcpChurnLoad extends Load {

	/**
	 * A refused connect is retried after this pause, so a missing server is not hammered.
	 */
	private static final long RETRY_MILLIS = 10;

	private final EventLoops loops;

	private final AtomicInteger inFlight = new AtomicInteger();

	private Bootstrap bootstrap;

	private @Nullable SslContext tls;

	TcpChurnLoad(BenchOptions options, BenchStats stats, EventLoops loops) {
		super(options, stats);
		this.loops = loops;
	}

	@Override
	void start() {
		this.tls = ConnectionPreamble.tls(this.options.connect.tls(), false);
		this.bootstrap = new Bootstrap().group(this.loops.group())
			.channel(this.loops.socketChannelType())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.options.timeout.toMillis());
		for (int worker = 0; worker < this.options.connections; worker++) {
			next(worker, 0);
		}
	}

	/**
	 * Churn has no lasting connection: the server answers when a first reply came back.
	 */
	@Override
	boolean reachable() throws InterruptedException {
		long deadline = System.nanoTime() + this.options.timeout.toNanos();
		while (this.stats.totalAnswered.sum() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		return this.stats.totalAnswered.sum() > 0;
	}

	private void next(int worker, long sequence) {
		if (this.stopping) {
			return;
		}
		this.inFlight.incrementAndGet();
		Exchange exchange = new Exchange(worker, sequence);
		this.bootstrap.clone().handler(new ChannelInitializer<>() {
			@Override
			protected void initChannel(Channel channel) {
				ConnectionPreamble.addTo(channel, TcpChurnLoad.this.options, TcpChurnLoad.this.tls);
				channel.pipeline().addLast(exchange);
			}
		}).connect(this.options.host, this.options.port).addListener((connect) -> {
			if (!connect.isSuccess()) {
				this.stats.connectFailures.increment();
				this.inFlight.decrementAndGet();
				this.loops.group().schedule(() -> next(worker, sequence + 1), RETRY_MILLIS, TimeUnit.MILLISECONDS);
			}
		});
	}

	@Override
	void stop() throws InterruptedException {
		this.stopping = true;
		drain(() -> this.inFlight.get() > 0, this.options.timeout.toNanos());
		this.stats.timeouts.add(this.inFlight.get());
	}

	/** One connection: one request, one reply. */
	private final class Exchange extends ByteToMessageDecoder implements FrameSink {

		private final int worker;

		private final long sequence;

		private final long start = System.nanoTime();

		private final Framing framing = TcpChurnLoad.this.options.framing;

		private final int size = TcpChurnLoad.this.options.size;

		private final FrameDecoder decoder = this.framing.newDecoder(Integer.MAX_VALUE - 16);

		private ChannelHandlerContext context;

		private boolean answered;

		Exchange(int worker, long sequence) {
			this.worker = worker;
			this.sequence = sequence;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			this.context = ctx;
			byte[] payload = new byte[this.size];
			Payloads.write(payload, this.worker, this.sequence);
			ByteBuf frame = ctx.alloc().ioBuffer(this.size + this.framing.overhead());
			this.framing.encode(payload, frame);
			ctx.writeAndFlush(frame, ctx.voidPromise());
			super.channelActive(ctx);
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			this.decoder.decode(in, this);
		}

		@Override
		public void frame(byte[] reply) {
			if (this.answered) {
				TcpChurnLoad.this.stats.badReplies.increment();
				return;
			}
			this.answered = true;
			if (Payloads.isReplyTo(reply, this.size, this.worker, this.sequence)) {
				TcpChurnLoad.this.stats.answered(System.nanoTime() - this.start);
			}
			else {
				TcpChurnLoad.this.stats.badReplies.increment();
			}
			this.context.close();
		}

		@Override
		public void error(FrameError error) {
			TcpChurnLoad.this.stats.badReplies.increment();
			this.context.close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			super.channelInactive(ctx);
			if (!this.answered) {
				TcpChurnLoad.this.stats.disconnects.increment();
			}
			TcpChurnLoad.this.inFlight.decrementAndGet();
			next(this.worker, this.sequence + 1);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
