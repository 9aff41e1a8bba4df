package dev.timestamp.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.timestamp.netty.DescriptorBudget;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
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

	/** Marks a socket opened for an address found when a datagram arrived for it. */
	private static final AttributeKey<AddressSocket> ON_DEMAND = AttributeKey.valueOf(DatagramLane.class, "onDemand");

	private final EventLoop loop;

	private final Binder binder;

	private final InetAddress bindAddress;

	/**
	 * Sockets for addresses found only when a datagram arrives for them (a VIP added
	 * later, 127.0.0.2), at most this many at once.
	 */
	private final int maxAddressSockets;

	private final long idleTimeoutNanos;

	/** Each socket opened for an address found later takes a place in it. */
	private final DescriptorBudget descriptors;

	/** The socket bound to the configured address (for the wildcard: every address). */
	private volatile @Nullable Channel channel;

	private final Map<InetAddress, AddressSocket> addressSockets = new ConcurrentHashMap<>();

	/** Sockets opened for addresses found later; changed on the lane's loop only. */
	private volatile int onDemand;

	private @Nullable Future<?> idleSweep;

	private final LongAdder datagrams = new LongAdder();

	DatagramLane(EventLoop loop, Binder binder, InetAddress bindAddress, int maxAddressSockets,
			Duration addressSocketIdleTimeout, DescriptorBudget descriptors) {
		this.loop = loop;
		this.binder = binder;
		this.bindAddress = bindAddress;
		this.maxAddressSockets = maxAddressSockets;
		this.idleTimeoutNanos = addressSocketIdleTimeout.toNanos();
		this.descriptors = descriptors;
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
		if (destinations) {
			this.idleSweep = this.loop.scheduleAtFixedRate(this::closeIdleSockets, this.idleTimeoutNanos,
					this.idleTimeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Binds a socket per local address, waiting for each (a failure is only logged).
	 * These stay open: they do not count against the bound on sockets opened later.
	 */
	void bindAddressSockets(List<InetAddress> locals) {
		for (InetAddress local : locals) {
			this.addressSockets.computeIfAbsent(local, (address) -> bindAddressSocket(address, false))
				.future()
				.awaitUninterruptibly();
		}
	}

	/**
	 * Binds a socket to one local address on the listener's port; a failure (an address
	 * that cannot be bound, such as a tentative IPv6 one or a broadcast address) leaves
	 * that address to the wildcard socket.
	 */
	private AddressSocket bindAddressSocket(InetAddress address, boolean onDemand) {
		ChannelFuture future = this.binder.bind(this, new InetSocketAddress(address, port()), false);
		AddressSocket socket = new AddressSocket(future, onDemand);
		future.addListener((ChannelFutureListener) (bound) -> {
			if (!bound.isSuccess()) {
				if (log.isDebugEnabled()) {
					log.debug("UDP replies to " + address.getHostAddress() + " leave from the wildcard socket: "
							+ bound.cause().getMessage());
				}
			}
			else if (this.channel == null) {
				// the endpoint stopped meanwhile
				bound.channel().close();
			}
			else if (onDemand) {
				bound.channel().attr(ON_DEMAND).set(socket);
			}
		});
		return socket;
	}

	/**
	 * Closes the sockets opened for addresses found later that no datagram used since the
	 * last sweep (so unused for one to two idle timeouts), and forgets failed binds.
	 */
	private void closeIdleSockets() {
		this.addressSockets.entrySet().removeIf((entry) -> {
			AddressSocket socket = entry.getValue();
			ChannelFuture future = socket.future();
			if (!socket.onDemand() || !future.isDone()) {
				return false;
			}
			if (future.isSuccess() && socket.used) {
				socket.used = false;
				return false;
			}
			if (future.isSuccess()) {
				if (log.isDebugEnabled()) {
					log.debug("Closed the UDP socket for " + entry.getKey().getHostAddress() + ": unused");
				}
				future.channel().close();
			}
			this.onDemand--;
			this.descriptors.releasePlace();
			return true;
		});
	}

	/**
	 * The socket a reply to this datagram leaves from: the one it arrived on, unless it
	 * arrived on the wildcard socket for an address without a socket of its own (known
	 * only on epoll, which reports the destination); then that address gets one. Each
	 * datagram asks once, so this is also where the lane counts them.
	 */
	@Nullable Object replyFrom(Channel receiver, DatagramPacket packet) {
		this.datagrams.increment();
		InetSocketAddress recipient = packet.recipient();
		if (receiver != this.channel || recipient == null) {
			// hasAttr first: attr() would add the attribute to every socket.
			if (receiver.hasAttr(ON_DEMAND)) {
				receiver.attr(ON_DEMAND).get().used = true;
			}
			return receiver;
		}
		InetAddress to = recipient.getAddress();
		if (to == null || to.isAnyLocalAddress() || to.isMulticastAddress() || to.equals(this.bindAddress)) {
			return receiver;
		}
		AddressSocket socket = this.addressSockets.get(to);
		if (socket == null) {
			// Past either bound: a reply from another address is never right, so the
			// bridge drops it.
			if (this.onDemand >= this.maxAddressSockets || !this.descriptors.takePlace()) {
				return null;
			}
			socket = bindAddressSocket(to, true);
			this.addressSockets.put(to, socket);
			this.onDemand++;
		}
		socket.used = true;
		ChannelFuture future = socket.future();
		// Not bound (a broadcast address): the wildcard socket answers.
		return (!future.isDone() || future.isSuccess()) ? future : receiver;
	}

	/** Sockets open for addresses found when a datagram arrived for them. */
	int onDemandSockets() {
		return this.onDemand;
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
		if (this.idleSweep != null) {
			this.idleSweep.cancel(false);
		}
		Channel ch = this.channel;
		if (ch != null) {
			ch.close().syncUninterruptibly();
			this.channel = null;
		}
		for (AddressSocket socket : this.addressSockets.values()) {
			socket.future().channel().close().syncUninterruptibly();
		}
		this.addressSockets.clear();
		for (; this.onDemand > 0; this.onDemand--) {
			this.descriptors.releasePlace();
		}
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
			.map(AddressSocket::future)
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

	/** A socket for one local address, and whether a datagram used it since the sweep. */
	private static final class AddressSocket {

		private final ChannelFuture future;

		private final boolean onDemand;

		/** Set on the lane's loop. */
		private boolean used = true;

		AddressSocket(ChannelFuture future, boolean onDemand) {
			this.future = future;
			this.onDemand = onDemand;
		}

		ChannelFuture future() {
			return this.future;
		}

		boolean onDemand() {
			return this.onDemand;
		}

	}

	/** Binds one socket of this lane: the address, and whether to report destinations. */
	interface Binder {

		ChannelFuture bind(DatagramLane lane, InetSocketAddress address, boolean destinations);

	}

}
