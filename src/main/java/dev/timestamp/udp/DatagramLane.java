package dev.timestamp.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The listener's sockets on one event loop: the socket bound to the configured address
 * and, for the wildcard, one per local address on the same port, so that each reply
 * leaves from the address its request was sent to (the kernel would otherwise pick a
 * reply's source address by route, and connected clients drop a reply from an address
 * they did not send to). With several loops each has a lane, every lane's sockets share
 * the port (SO_REUSEPORT), and the kernel spreads datagrams across them by source; a
 * reply leaves from its request's lane, on its request's loop.
 */
final class DatagramLane {

	private static final Log log = LogFactory.getLog("dev.timestamp.udp");

	/**
	 * Addresses found only when a datagram arrives for them (a VIP added later,
	 * 127.0.0.2).
	 */
	private static final int MAX_ADDRESS_SOCKETS = 256;

	private final EventLoop loop;

	private final Binder binder;

	private final InetAddress bindAddress;

	/** The socket bound to the configured address (for the wildcard: every address). */
	private volatile @Nullable Channel channel;

	private final Map<InetAddress, ChannelFuture> addressSockets = new ConcurrentHashMap<>();

	private final LongAdder datagrams = new LongAdder();

	DatagramLane(EventLoop loop, Binder binder, InetAddress bindAddress) {
		this.loop = loop;
		this.binder = binder;
		this.bindAddress = bindAddress;
	}

	EventLoop loop() {
		return this.loop;
	}

	/**
	 * Binds the lane's main socket; with the wildcard address on epoll it also reports
	 * each datagram's destination, so that an address no interface listed gets a socket.
	 */
	void bind(int port, boolean destinations) {
		this.channel = this.binder.bind(this, new InetSocketAddress(this.bindAddress, port), destinations)
			.syncUninterruptibly()
			.channel();
	}

	/** Binds a socket per local address, waiting for each (a failure is only logged). */
	void bindAddressSockets(List<InetAddress> locals) {
		for (InetAddress local : locals) {
			bindAddressSocket(local).awaitUninterruptibly();
		}
	}

	/**
	 * Binds a socket to one local address on the listener's port, once; a failure (an
	 * address that cannot be bound, such as a tentative IPv6 one) leaves that address to
	 * the wildcard socket.
	 */
	private ChannelFuture bindAddressSocket(InetAddress local) {
		return this.addressSockets.computeIfAbsent(local,
				(address) -> this.binder.bind(this, new InetSocketAddress(address, port()), false)
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
	 * only on epoll, which reports the destination); then that address gets one. Each
	 * datagram asks once, so this is also where the lane counts them.
	 */
	Object replyFrom(Channel receiver, DatagramPacket packet) {
		this.datagrams.increment();
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

	/** Stops reading; what was read has been answered on the loop already. */
	void stopReading() {
		for (Channel socket : sockets()) {
			if (socket.isActive()) {
				socket.eventLoop().submit(() -> {
					socket.config().setAutoRead(false);
					socket.flush();
				}).syncUninterruptibly();
			}
		}
	}

	void close() {
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

	/** Every socket of the lane that is bound now. */
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

	/** The bound port (0 before the lane is bound). */
	int port() {
		Channel ch = this.channel;
		return (ch != null) ? ((InetSocketAddress) ch.localAddress()).getPort() : 0;
	}

	boolean isReceiving() {
		Channel ch = this.channel;
		return ch != null && ch.isActive() && ch.config().isAutoRead();
	}

	boolean isClosedUnexpectedly() {
		Channel ch = this.channel;
		return ch != null && !ch.isActive();
	}

	/** Datagrams this lane has admitted so far. */
	long datagrams() {
		return this.datagrams.sum();
	}

	/** Binds one socket of this lane: the address, and whether to report destinations. */
	interface Binder {

		ChannelFuture bind(DatagramLane lane, InetSocketAddress address, boolean destinations);

	}

}
