package dev.timestamp.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.timestamp.framing.FrameDecoder;
import dev.timestamp.framing.FrameError;
import dev.timestamp.framing.FrameSink;
import dev.timestamp.framing.Framing;
import dev.timestamp.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;

/**
 * Persistent TCP connections, each keeping {@code pipeline} requests in flight: a new
 * request is written as soon as a reply comes back (closed loop). Every reply is checked
 * against the request it answers, in order.
 */
final class TcpLoad extends Load {

	private final EventLoops loops;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private volatile boolean closing;

	TcpLoad(BenchOptions options, BenchStats stats, EventLoops loops) {
		super(options, stats);
		this.loops = loops;
	}

	@Override
	void start() throws InterruptedException {
		Bootstrap bootstrap = new Bootstrap().group(this.loops.group())
			.channel(this.loops.socketChannelType())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.options.timeout.toMillis());
		SslContext tls = ConnectionPreamble.tls(this.options.connect.tls(), true);
		ChannelFuture[] connects = new ChannelFuture[this.options.connections];
		for (int i = 0; i < connects.length; i++) {
			int id = i;
			connects[i] = bootstrap.clone().handler(new ChannelInitializer<>() {
				@Override
				protected void initChannel(Channel channel) {
					Connection connection = new Connection(id);
					TcpLoad.this.connections.add(connection);
					ConnectionPreamble.addTo(channel, TcpLoad.this.options, tls);
					channel.pipeline().addLast(connection);
				}
			}).connect(this.options.host, this.options.port);
		}
		for (ChannelFuture connect : connects) {
			connected(connect);
		}
	}

	@Override
	void stop() throws InterruptedException {
		this.stopping = true;
		drain(() -> outstanding() > 0, this.options.timeout.toNanos());
		this.stats.timeouts.add(outstanding());
		this.closing = true;
		closeAll();
	}

	private long outstanding() {
		long sum = 0;
		for (Connection connection : this.connections) {
			if (connection.context != null && connection.context.channel().isActive()) {
				sum += connection.inFlight;
			}
		}
		return sum;
	}

	private final class Connection extends ByteToMessageDecoder implements FrameSink {

		private final int id;

		private final Framing framing = TcpLoad.this.options.framing;

		private final int size = TcpLoad.this.options.size;

		private final FrameDecoder decoder = this.framing.newDecoder(Integer.MAX_VALUE - 16);

		private final byte[] payload = new byte[this.size];

		/** Sequence numbers and send times of the requests in flight, oldest first. */
		private final long[] sequences;

		private final long[] sentAt;

		private int oldest;

		private volatile int inFlight;

		private long nextSequence;

		private volatile ChannelHandlerContext context;

		Connection(int id) {
			this.id = id;
			this.sequences = new long[TcpLoad.this.options.pipeline];
			this.sentAt = new long[TcpLoad.this.options.pipeline];
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			this.context = ctx;
			for (int i = 0; i < this.sequences.length; i++) {
				send(ctx);
			}
			ctx.flush();
			super.channelActive(ctx);
		}

		private void send(ChannelHandlerContext ctx) {
			long sequence = this.nextSequence++;
			Payloads.write(this.payload, this.id, sequence);
			ByteBuf frame = ctx.alloc().ioBuffer(this.size + this.framing.overhead());
			this.framing.encode(this.payload, frame);
			int slot = (this.oldest + this.inFlight) % this.sequences.length;
			this.sequences[slot] = sequence;
			this.sentAt[slot] = System.nanoTime();
			this.inFlight++;
			ctx.write(frame, ctx.voidPromise());
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			this.decoder.decode(in, this);
		}

		@Override
		public void frame(byte[] reply) {
			if (this.inFlight == 0) {
				TcpLoad.this.stats.badReplies.increment();
				return;
			}
			long sequence = this.sequences[this.oldest];
			long latency = System.nanoTime() - this.sentAt[this.oldest];
			this.oldest = (this.oldest + 1) % this.sequences.length;
			this.inFlight--;
			if (Payloads.isReplyTo(reply, this.size, this.id, sequence)) {
				TcpLoad.this.stats.answered(latency);
			}
			else {
				TcpLoad.this.stats.badReplies.increment();
			}
			if (!TcpLoad.this.stopping) {
				send(this.context);
			}
		}

		@Override
		public void error(FrameError error) {
			TcpLoad.this.stats.badReplies.increment();
			this.context.close();
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
			ctx.flush();
			super.channelReadComplete(ctx);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (!TcpLoad.this.closing) {
				TcpLoad.this.stats.disconnects.increment();
			}
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
