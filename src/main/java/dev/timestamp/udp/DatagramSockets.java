package dev.timestamp.udp;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.timestamp.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * How the listener's datagram sockets are made: their options (receive batches, shared
 * port, destination addresses) and their pipeline, {@link DatagramAdmission} then
 * {@link DatagramBridge}.
 */
final class DatagramSockets implements DatagramLane.Binder {

	/** Datagrams received per system call (recvmmsg) on epoll. */
	static final int RECEIVE_BATCH = 16;

	/**
	 * How many bytes of replies the kernel has not taken a socket holds before further
	 * replies are dropped ({@link UdpReplyHandler}), and below which it takes them again.
	 * A read batch's replies are all written before they are flushed, so it takes a whole
	 * batch of the largest: when the 16th reply of 65,527 bytes is written, the 15 before
	 * it hold 984 KB with Netty's 96 bytes per entry, under 1 MiB.
	 */
	static final WriteBufferWaterMark REPLY_QUEUE = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

	private final EventLoops loops;

	private final int maxDatagramBytes;

	private final int minSourcePort;

	private final @Nullable SourceRateLimiter rateLimiter;

	private final UdpMetrics metrics;

	private final Consumer<Message<?>> flow;

	private final boolean wildcard;

	private final boolean reusePort;

	private final BooleanSupplier open;

	private final BooleanSupplier answerable;

	DatagramSockets(EventLoops loops, int maxDatagramBytes, int minSourcePort, @Nullable SourceRateLimiter rateLimiter,
			UdpMetrics metrics, Consumer<Message<?>> flow, boolean wildcard, boolean reusePort, BooleanSupplier open,
			BooleanSupplier answerable) {
		this.loops = loops;
		this.maxDatagramBytes = maxDatagramBytes;
		this.minSourcePort = minSourcePort;
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
		this.flow = flow;
		this.wildcard = wildcard;
		this.reusePort = reusePort;
		this.open = open;
		this.answerable = answerable;
	}

	@Override
	public ChannelFuture bind(DatagramLane lane, InetSocketAddress address, boolean destinations) {
		// Each datagram gets one byte more than the largest one answered: a datagram that
		// fills its buffer is too large, so it is dropped, never answered truncated.
		int slot = this.maxDatagramBytes + 1;
		Bootstrap bootstrap = new Bootstrap().group(lane.loop())
			.channel(this.loops.datagramChannelType())
			// the wildcard socket shares the port with the per-address ones
			.option(ChannelOption.SO_REUSEADDR, this.wildcard)
			// held until the endpoint opens; a socket for an address found later reads at
			// once
			.option(ChannelOption.AUTO_READ, this.open.getAsBoolean())
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, REPLY_QUEUE)
			.handler(new ChannelInitializer<>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(new DatagramAdmission(DatagramSockets.this.maxDatagramBytes,
								DatagramSockets.this.minSourcePort, DatagramSockets.this.rateLimiter,
								DatagramSockets.this.metrics, System::nanoTime, DatagramSockets.this.answerable))
						.addLast(new DatagramBridge(DatagramSockets.this.flow, lane::replyFrom,
								DatagramSockets.this.metrics));
				}
			});
		if (this.loops.isEpoll()) {
			// recvmmsg: up to RECEIVE_BATCH datagrams per system call, as a C server
			// would.
			bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
				.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * RECEIVE_BATCH))
				.option(EpollChannelOption.IP_RECVORIGDSTADDR, destinations)
				.option(EpollChannelOption.SO_REUSEPORT, this.reusePort);
		}
		else {
			bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot));
		}
		return bootstrap.bind(address);
	}

}
