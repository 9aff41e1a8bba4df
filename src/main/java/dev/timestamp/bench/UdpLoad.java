package dev.timestamp.bench;

import java.net.PortUnreachableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.timestamp.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Connected UDP sockets, each keeping {@code pipeline} datagrams in flight. A reply is
 * matched to its request by the sequence number in the payload; a datagram without a
 * reply after the timeout counts as lost and is replaced.
 */
final class UdpLoad extends Load {

	private final EventLoops loops;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	UdpLoad(BenchOptions options, BenchStats stats, EventLoops loops) {
		super(options, stats);
		this.loops = loops;
	}

	@Override
	void start() throws InterruptedException {
		for (int i = 0; i < this.options.connections; i++) {
			Socket socket = new Socket(i);
			this.sockets.add(socket);
			connected(new Bootstrap().group(this.loops.group())
				.channel(this.loops.datagramChannelType())
				.handler(socket)
				.connect(this.options.host, this.options.port));
		}
	}

	@Override
	boolean reachable() throws InterruptedException {
		long deadline = System.nanoTime() + this.options.timeout.toNanos();
		while (this.stats.totalAnswered.sum() == 0 && System.nanoTime() < deadline
				&& this.stats.connectFailures.sum() < this.options.connections) {
			Thread.sleep(5);
		}
		return this.stats.totalAnswered.sum() > 0;
	}

	@Override
	void stop() throws InterruptedException {
		this.stopping = true;
		// The sweeper gives up on a datagram after the timeout; allow it one more round.
		drain(() -> this.sockets.stream().anyMatch(Socket::busy),
				this.options.timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(100));
		closeAll();
	}

	private final class Socket extends SimpleChannelInboundHandler<DatagramPacket> {

		private final int id;

		private final int size = UdpLoad.this.options.size;

		private final long timeoutNanos = UdpLoad.this.options.timeout.toNanos();

		private final byte[] payload = new byte[this.size];

		private final long[] sequences;

		private final long[] sentAt;

		private final boolean[] waiting;

		private long nextSequence;

		private volatile int inFlight;

		private volatile ChannelHandlerContext context;

		private ScheduledFuture<?> sweeper;

		Socket(int id) {
			this.id = id;
			this.sequences = new long[UdpLoad.this.options.pipeline];
			this.sentAt = new long[this.sequences.length];
			this.waiting = new boolean[this.sequences.length];
		}

		boolean busy() {
			return this.inFlight > 0 && this.context != null && this.context.channel().isActive();
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			this.context = ctx;
			for (int slot = 0; slot < this.sequences.length; slot++) {
				send(ctx, slot);
			}
			ctx.flush();
			this.sweeper = ctx.executor().scheduleAtFixedRate(() -> sweep(ctx), 10, 10, TimeUnit.MILLISECONDS);
			super.channelActive(ctx);
		}

		private void send(ChannelHandlerContext ctx, int slot) {
			long sequence = this.nextSequence++;
			Payloads.write(this.payload, this.id, sequence);
			this.sequences[slot] = sequence;
			this.sentAt[slot] = System.nanoTime();
			if (!this.waiting[slot]) {
				this.waiting[slot] = true;
				this.inFlight++;
			}
			ctx.write(Unpooled.copiedBuffer(this.payload), ctx.voidPromise());
		}

		private void free(int slot) {
			this.waiting[slot] = false;
			this.inFlight--;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
			byte[] reply = ByteBufUtil.getBytes(packet.content());
			long sequence = Payloads.sequenceOf(reply, this.size);
			for (int slot = 0; slot < this.sequences.length; slot++) {
				if (this.waiting[slot] && this.sequences[slot] == sequence) {
					if (Payloads.isReplyTo(reply, this.size, this.id, sequence)) {
						UdpLoad.this.stats.answered(System.nanoTime() - this.sentAt[slot]);
					}
					else {
						UdpLoad.this.stats.badReplies.increment();
					}
					if (UdpLoad.this.stopping) {
						free(slot);
					}
					else {
						send(ctx, slot);
					}
					return;
				}
			}
			// A reply after its datagram was given up on, or one that answers nothing
			// sent.
			UdpLoad.this.stats.late.increment();
		}

		private void sweep(ChannelHandlerContext ctx) {
			long now = System.nanoTime();
			for (int slot = 0; slot < this.sequences.length; slot++) {
				if (this.waiting[slot] && now - this.sentAt[slot] > this.timeoutNanos) {
					UdpLoad.this.stats.lost.increment();
					if (UdpLoad.this.stopping) {
						free(slot);
					}
					else {
						send(ctx, slot);
					}
				}
			}
			ctx.flush();
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (this.sweeper != null) {
				this.sweeper.cancel(false);
			}
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof PortUnreachableException) {
				// ICMP: nothing listens there.
				UdpLoad.this.stats.connectFailures.increment();
			}
		}

	}

}
