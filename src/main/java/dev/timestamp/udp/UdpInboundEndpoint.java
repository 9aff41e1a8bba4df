package dev.timestamp.udp;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.netty.ListenerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.ip.udp.UdpServerListeningEvent;

/**
 * Receives datagrams on a Netty channel and sends each as a message whose
 * {@code ip_packetAddress} header is the sender, on the event loop that read it. Spring
 * Integration's own UDP adapter hands every datagram to a thread pool; this one has no
 * hand-off, and the reply handler writes on the same channel.
 */
public class UdpInboundEndpoint extends MessageProducerSupport implements ApplicationEventPublisherAware {

	/**
	 * The transport's own log; the inherited one carries Spring Integration's lifecycle
	 * chatter.
	 */
	private static final Log log = LogFactory.getLog("dev.timestamp.udp");

	/**
	 * Every socket of the listener reads on this one loop: the rate limiter's table is
	 * then touched by one thread only.
	 */
	private final EventLoop loop;

	private final EventLoops loops;

	private final UdpMetrics metrics;

	private final InetAddress bindAddress;

	private final int port;

	private final int maxDatagramBytes;

	/** Datagrams received per system call (recvmmsg) on epoll. */
	private static final int RECEIVE_BATCH = 16;

	/**
	 * Addresses found only when a datagram arrives for them (a VIP added later,
	 * 127.0.0.2).
	 */
	private static final int MAX_ADDRESS_SOCKETS = 256;

	/** The socket bound to the configured address (for the wildcard: every address). */
	private volatile @Nullable Channel channel;

	/**
	 * With the wildcard address: a socket per local address, on the same port, so that
	 * each reply leaves from the address its request was sent to. A socket bound to one
	 * address takes that address's datagrams from the wildcard socket; the kernel would
	 * otherwise pick a reply's source address by route, and connected clients drop a
	 * reply from an address they did not send to.
	 */
	private final Map<InetAddress, ChannelFuture> addressSockets = new ConcurrentHashMap<>();

	/** Why the socket is not receiving, for the health endpoint. */
	private volatile String notListeningReason = "not started";

	private @Nullable ApplicationEventPublisher eventPublisher;

	private final int minSourcePort;

	/** Touched only by the one event loop the sockets read on. */
	private @Nullable SourceRateLimiter rateLimiter;

	/** A disabled endpoint never binds, whoever starts it. */
	private volatile boolean enabled = true;

	public UdpInboundEndpoint(EventLoops loops, UdpMetrics metrics, InetAddress bindAddress, int port,
			int maxDatagramBytes, int minSourcePort) {
		this.minSourcePort = minSourcePort;
		this.loops = loops;
		this.loop = loops.group().next();
		this.metrics = metrics;
		this.bindAddress = bindAddress;
		this.port = port;
		this.maxDatagramBytes = maxDatagramBytes;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	@Override
	public String getComponentType() {
		return "udp-inbound-channel-adapter";
	}

	/** Drops datagrams from sources over their rate; set before the endpoint starts. */
	public void setRateLimiter(@Nullable SourceRateLimiter rateLimiter) {
		this.rateLimiter = rateLimiter;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
		setAutoStartup(enabled);
		if (!enabled) {
			this.notListeningReason = "disabled (timestamp.udp.enabled=false)";
		}
	}

	@Override
	protected void doStart() {
		if (!this.enabled) {
			return;
		}
		InetSocketAddress address = new InetSocketAddress(this.bindAddress, this.port);
		boolean wildcard = this.bindAddress.isAnyLocalAddress();
		try {
			if (wildcard && this.port != 0) {
				// The sockets share the port (SO_REUSEADDR), which would let a second
				// server
				// bind it too: a plain socket first tells whether it is really free.
				probe(address);
			}
			// With the wildcard address, the kernel also reports each datagram's
			// destination
			// (epoll), so that a socket can be bound to an address no interface listed.
			this.channel = bootstrap(wildcard, wildcard && this.loops.isEpoll()).bind(address)
				.syncUninterruptibly()
				.channel();
		}
		catch (Exception ex) {
			this.notListeningReason = "could not bind " + address + ": " + ex.getMessage();
			throw new ListenerStartException("UDP", address, "timestamp.udp.port", ex);
		}
		if (wildcard) {
			for (InetAddress local : LocalAddresses.up()) {
				bindAddressSocket(local).awaitUninterruptibly();
			}
		}
		log.info("UDP listening on " + BindAddress.describe(this.bindAddress, getPort()) + " ("
				+ this.loops.transportName() + ")");
		if (this.eventPublisher != null) {
			this.eventPublisher.publishEvent(new UdpServerListeningEvent(this, getPort()));
		}
	}

	private Bootstrap bootstrap(boolean shared, boolean destinations) {
		// Each datagram gets one byte more than the largest one answered: a datagram that
		// fills its buffer is too large, so it is dropped, never answered truncated.
		int slot = this.maxDatagramBytes + 1;
		Bootstrap bootstrap = new Bootstrap().group(this.loop)
			.channel(this.loops.datagramChannelType())
			.option(ChannelOption.SO_REUSEADDR, shared)
			.handler(new ChannelInitializer<>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(new DatagramAdmission(UdpInboundEndpoint.this.maxDatagramBytes,
								UdpInboundEndpoint.this.minSourcePort, UdpInboundEndpoint.this.rateLimiter,
								UdpInboundEndpoint.this.metrics, System::nanoTime))
						.addLast(new DatagramBridge(UdpInboundEndpoint.this::sendMessage,
								UdpInboundEndpoint.this::replyFrom, UdpInboundEndpoint.this.metrics));
				}
			});
		if (this.loops.isEpoll()) {
			// recvmmsg: up to RECEIVE_BATCH datagrams per system call, as a C server
			// would.
			bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
				.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * RECEIVE_BATCH))
				.option(EpollChannelOption.IP_RECVORIGDSTADDR, destinations);
		}
		else {
			bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot));
		}
		return bootstrap;
	}

	private static void probe(InetSocketAddress address) throws SocketException {
		try (DatagramSocket plain = new DatagramSocket(null)) {
			plain.setReuseAddress(false);
			plain.bind(address);
		}
	}

	/**
	 * Binds a socket to one local address on the listener's port, once; a failure (an
	 * address that cannot be bound, such as a tentative IPv6 one) leaves that address to
	 * the wildcard socket.
	 */
	private ChannelFuture bindAddressSocket(InetAddress local) {
		return this.addressSockets.computeIfAbsent(local,
				(address) -> bootstrap(true, false).bind(new InetSocketAddress(address, getPort()))
					.addListener((ChannelFutureListener) (bound) -> {
						if (!bound.isSuccess()) {
							if (log.isDebugEnabled()) {
								log.debug("UDP replies to " + address.getHostAddress()
										+ " leave from the wildcard socket: " + bound.cause().getMessage());
							}
						}
						else if (this.channel == null) {
							// the endpoint stopped meanwhile
							bound.channel().close();
						}
					}));
	}

	/**
	 * The socket a reply to this datagram leaves from: the one it arrived on, unless it
	 * arrived on the wildcard socket for an address without a socket of its own (known
	 * only on epoll, which reports the destination); then that address gets one.
	 */
	private Object replyFrom(Channel receiver, DatagramPacket packet) {
		InetSocketAddress recipient = packet.recipient();
		if (receiver != this.channel || recipient == null) {
			return receiver;
		}
		InetAddress to = recipient.getAddress();
		if (to == null || to.isAnyLocalAddress() || to.isMulticastAddress() || to.equals(this.bindAddress)) {
			return receiver;
		}
		ChannelFuture socket = this.addressSockets.get(to);
		if (socket == null && this.addressSockets.size() < MAX_ADDRESS_SOCKETS) {
			socket = bindAddressSocket(to);
		}
		// Not bound (a broadcast address, over the cap): the wildcard socket answers.
		return (socket != null && (!socket.isDone() || socket.isSuccess())) ? socket : receiver;
	}

	@Override
	protected void doStop() {
		this.notListeningReason = "stopped";
		Channel ch = this.channel;
		if (ch != null) {
			ch.close().syncUninterruptibly();
			this.channel = null;
		}
		for (ChannelFuture socket : this.addressSockets.values()) {
			socket.channel().close().syncUninterruptibly();
		}
		this.addressSockets.clear();
	}

	/** Every socket of the listener that is bound now. */
	List<Channel> sockets() {
		List<Channel> sockets = new ArrayList<>();
		Channel main = this.channel;
		if (main != null) {
			sockets.add(main);
		}
		this.addressSockets.values()
			.stream()
			.filter(ChannelFuture::isSuccess)
			.forEach((socket) -> sockets.add(socket.channel()));
		return sockets;
	}

	/**
	 * Graceful shutdown: stops reading datagrams. Every datagram read so far has been
	 * answered on the event loop already; the socket closes when the endpoint stops.
	 */
	public void stopReceiving() {
		Channel ch = this.channel;
		if (ch != null) {
			this.notListeningReason = "shutting down";
			stopReading(ch);
		}
		this.addressSockets.values()
			.stream()
			.filter(ChannelFuture::isSuccess)
			.forEach((socket) -> stopReading(socket.channel()));
	}

	private static void stopReading(Channel ch) {
		if (ch.isActive()) {
			ch.eventLoop().submit(() -> {
				ch.config().setAutoRead(false);
				ch.flush();
			}).syncUninterruptibly();
		}
	}

	/** The bound port, which differs from the configured one when that is 0. */
	public int getPort() {
		Channel ch = this.channel;
		return (ch != null) ? ((InetSocketAddress) ch.localAddress()).getPort() : this.port;
	}

	public InetAddress getBindAddress() {
		return this.bindAddress;
	}

	public int getMaxDatagramBytes() {
		return this.maxDatagramBytes;
	}

	/**
	 * Why the socket is not receiving (meaningful while {@link #isListening()} is false).
	 */
	public String getNotListeningReason() {
		Channel ch = this.channel;
		return (ch != null && !ch.isActive()) ? "the socket closed unexpectedly" : this.notListeningReason;
	}

	public boolean isListening() {
		Channel ch = this.channel;
		return ch != null && ch.isActive() && ch.config().isAutoRead();
	}

}
