package dev.timestamp.udp;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.startup.ListenerStartException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.ip.udp.UdpServerListeningEvent;

/**
 * Receives datagrams on Netty channels and sends each as a message whose
 * {@code ip_packetAddress} header is the sender, on the event loop that read it. Spring
 * Integration's own UDP adapter hands every datagram to a thread pool; this one has no
 * hand-off, and the reply handler writes on the same channel. On epoll every event loop
 * has its own sockets on the port ({@link DatagramLane}), so UDP uses every loop; health
 * and metrics still see one listener.
 */
public class UdpInboundEndpoint extends MessageProducerSupport implements ApplicationEventPublisherAware {

	/**
	 * The transport's own log; the inherited one carries Spring Integration's lifecycle
	 * chatter.
	 */
	private static final Log log = LogFactory.getLog("dev.timestamp.udp");

	private final EventLoops loops;

	/**
	 * The loops that get a lane: all of them where SO_REUSEPORT spreads datagrams
	 * (epoll), else one.
	 */
	private final List<EventLoop> laneLoops;

	private final UdpMetrics metrics;

	private final InetAddress bindAddress;

	private final int port;

	private final int maxDatagramBytes;

	private final int minSourcePort;

	/** Empty until started, and again once stopped. */
	private volatile List<DatagramLane> lanes = List.of();

	/** Why the sockets are not receiving, for the health endpoint. */
	private volatile String notListeningReason = "not started";

	private @Nullable ApplicationEventPublisher eventPublisher;

	/** Shared by every lane: thread-safe, and exact per source across lanes. */
	private @Nullable SourceRateLimiter rateLimiter;

	private int maxAddressSockets = 256;

	private DescriptorBudget descriptors = new DescriptorBudget();

	private Duration addressSocketIdleTimeout = Duration.ofSeconds(60);

	/** A disabled endpoint never binds, whoever starts it. */
	private volatile boolean enabled = true;

	/** Names the listener in settings: {@code timestamp.<listener>.port}. */
	private String listener = "udp";

	/** Names the listener in logs and messages. */
	private String title = "UDP";

	/** Whether a datagram can be answered now (Time and Daytime: the clock's gate). */
	private BooleanSupplier answerable = () -> true;

	/** Bound but not reading yet: see {@link #setHoldUntilOpened}. */
	private volatile boolean held;

	public UdpInboundEndpoint(EventLoops loops, UdpMetrics metrics, InetAddress bindAddress, int port,
			int maxDatagramBytes, int minSourcePort) {
		this.loops = loops;
		this.laneLoops = loops.isEpoll() ? loops.loops() : List.of(loops.group().next());
		this.metrics = metrics;
		this.bindAddress = bindAddress;
		this.port = port;
		this.maxDatagramBytes = maxDatagramBytes;
		this.minSourcePort = minSourcePort;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	@Override
	public String getComponentType() {
		return "udp-inbound-channel-adapter";
	}

	/**
	 * On the wildcard address, how many sockets each event loop opens for addresses found
	 * when a datagram arrives for them, how long one may go unused, and the descriptors
	 * they draw on with every listener's connections; set before the endpoint starts.
	 */
	public void setAddressSockets(int max, Duration idleTimeout, DescriptorBudget descriptors) {
		this.maxAddressSockets = max;
		this.addressSocketIdleTimeout = idleTimeout;
		this.descriptors = descriptors;
	}

	/** Sockets open for addresses found when a datagram arrived, on every loop. */
	public int addressSocketCount() {
		return this.lanes.stream().mapToInt(DatagramLane::onDemandSockets).sum();
	}

	/** Drops datagrams from sources over their rate; set before the endpoint starts. */
	public void setRateLimiter(@Nullable SourceRateLimiter rateLimiter) {
		this.rateLimiter = rateLimiter;
	}

	public UdpMetrics getMetrics() {
		return this.metrics;
	}

	public @Nullable SourceRateLimiter getRateLimiter() {
		return this.rateLimiter;
	}

	/**
	 * Names the listener: {@code name} in its settings ({@code timestamp.<name>.port}),
	 * {@code title} in logs and messages; {@code udp} and {@code UDP} by default.
	 */
	public void setListenerName(String name, String title) {
		this.listener = name;
		this.title = title;
	}

	/**
	 * Drops every datagram (counted as {@code clock_unsynchronized}) while
	 * {@code answerable} is false; set before the endpoint starts.
	 */
	public void setAnswerable(BooleanSupplier answerable) {
		this.answerable = answerable;
	}

	/** How many sockets share the port (one per event loop on epoll). */
	public int laneCount() {
		return this.laneLoops.size();
	}

	/**
	 * Binds at start but reads no datagram until {@link #openForClients()}: this endpoint
	 * is started before the flow behind it has subscribed, and a datagram read in between
	 * would find no subscriber.
	 */
	public void setHoldUntilOpened(boolean hold) {
		this.held = hold;
	}

	/** Starts reading (every flow is subscribed: {@code OpenForClients}). */
	public void openForClients() {
		this.held = false;
		sockets().forEach((socket) -> socket.config().setAutoRead(true));
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
		setAutoStartup(enabled);
		if (!enabled) {
			this.notListeningReason = "disabled (timestamp." + this.listener + ".enabled=false)";
		}
	}

	@Override
	protected void doStart() {
		if (!this.enabled) {
			return;
		}
		boolean wildcard = this.bindAddress.isAnyLocalAddress();
		if (wildcard && this.loops.isEpoll()) {
			// Sockets for addresses found later may open: measured here as well, for a
			// server without a TCP listener.
			this.descriptors.measure();
		}
		List<DatagramLane> started = new ArrayList<>();
		int bound = this.port;
		try {
			if (this.port != 0 && (wildcard || laneCount() > 1)) {
				// The sockets share the port (SO_REUSEADDR, SO_REUSEPORT), which would
				// let a second server bind it too: a plain socket first tells whether it
				// is really free.
				probe(new InetSocketAddress(this.bindAddress, this.port));
			}
			DatagramSockets sockets = new DatagramSockets(this.loops, this.maxDatagramBytes, this.minSourcePort,
					this.rateLimiter, this.metrics, this::sendMessage, wildcard, laneCount() > 1, () -> !this.held,
					this.answerable);
			for (EventLoop loop : this.laneLoops) {
				DatagramLane lane = new DatagramLane(loop, sockets, this.bindAddress, this.maxAddressSockets,
						this.addressSocketIdleTimeout, this.descriptors);
				started.add(lane);
				lane.bind(bound, wildcard && this.loops.isEpoll());
				bound = lane.port();
			}
		}
		catch (Exception ex) {
			started.forEach(DatagramLane::close);
			InetSocketAddress address = new InetSocketAddress(this.bindAddress, bound);
			this.notListeningReason = "could not bind " + address + ": " + ex.getMessage();
			throw new ListenerStartException(this.title, address, "timestamp." + this.listener + ".port", ex);
		}
		if (wildcard) {
			List<InetAddress> locals = LocalAddresses.up();
			started.forEach((lane) -> lane.bindAddressSockets(locals));
		}
		this.lanes = List.copyOf(started);
		if (!this.held) {
			openForClients();
		}
		log.info(this.title + " listening on " + BindAddress.describe(this.bindAddress, getPort()) + " ("
				+ this.loops.transportName() + ((laneCount() > 1) ? ", " + laneCount() + " sockets" : "") + ")");
		if (this.eventPublisher != null) {
			this.eventPublisher.publishEvent(new UdpServerListeningEvent(this, getPort()));
		}
	}

	private static void probe(InetSocketAddress address) throws SocketException {
		try (DatagramSocket plain = new DatagramSocket(null)) {
			plain.setReuseAddress(false);
			plain.bind(address);
		}
	}

	@Override
	protected void doStop() {
		this.notListeningReason = "stopped";
		List<DatagramLane> stopping = this.lanes;
		this.lanes = List.of();
		stopping.forEach(DatagramLane::close);
	}

	/** Every socket of the listener that is bound now. */
	List<Channel> sockets() {
		List<Channel> sockets = new ArrayList<>();
		this.lanes.forEach((lane) -> sockets.addAll(lane.sockets()));
		return sockets;
	}

	/** Datagrams admitted per lane (per event loop), for the spread. */
	List<Long> datagramsPerLane() {
		return this.lanes.stream().map(DatagramLane::datagrams).toList();
	}

	/**
	 * Graceful shutdown: stops reading datagrams. Every datagram read so far has been
	 * answered on the event loop already; the sockets close when the endpoint stops.
	 */
	public void stopReceiving() {
		if (!this.lanes.isEmpty()) {
			this.notListeningReason = "shutting down";
		}
		this.lanes.forEach(DatagramLane::stopReading);
	}

	/** The bound port, which differs from the configured one when that is 0. */
	public int getPort() {
		List<DatagramLane> current = this.lanes;
		return current.isEmpty() ? this.port : current.get(0).port();
	}

	public InetAddress getBindAddress() {
		return this.bindAddress;
	}

	public int getMaxDatagramBytes() {
		return this.maxDatagramBytes;
	}

	/**
	 * Why the sockets are not receiving (meaningful while {@link #isListening()} is
	 * false).
	 */
	public String getNotListeningReason() {
		return this.lanes.stream().anyMatch(DatagramLane::isClosedUnexpectedly) ? "the socket closed unexpectedly"
				: this.notListeningReason;
	}

	/** Whether every lane's socket is receiving: the listener is one, healthy or not. */
	public boolean isListening() {
		List<DatagramLane> current = this.lanes;
		return !current.isEmpty() && current.stream().allMatch(DatagramLane::isReceiving);
	}

}
