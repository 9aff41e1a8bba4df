package dev.timestamp.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.timestamp.framing.Framing;
import dev.timestamp.netty.BindAddress;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.netty.EventLoops;
import dev.timestamp.startup.ListenerStartException;
import dev.timestamp.tcp.admission.AcceptFailures;
import dev.timestamp.tcp.admission.CapOnAccept;
import dev.timestamp.tcp.admission.ConnectionAccounting;
import dev.timestamp.tcp.admission.ConnectionLimits;
import dev.timestamp.tcp.admission.SourceAdmission;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.framing.FramingHandler;
import dev.timestamp.tcp.framing.IdleTimeout;
import dev.timestamp.tcp.framing.MaxConnectionAge;
import dev.timestamp.tcp.framing.RequestOnConnect;
import dev.timestamp.tcp.memory.IoUringReadBuffers;
import dev.timestamp.tcp.memory.MemoryPressure;
import dev.timestamp.tcp.memory.ReadBufferSizes;
import dev.timestamp.tcp.proxy.ProxyProtocolDetector;
import dev.timestamp.tcp.tls.TlsTermination;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpListener;

/**
 * A Spring Integration server connection factory on a Netty event loop, so the standard
 * {@code Tcp.inboundAdapter}/{@code Tcp.outboundAdapter} pair keeps its shape while each
 * connection costs no thread and each request no thread hand-off. The stock NIO factory
 * reorders pipelined replies and the NET factory needs a thread per connection; measured
 * on this project's benchmark both stay far below a plain epoll server (see
 * docs/decisions.md).
 */
public class NettyTcpServerConnectionFactory extends AbstractServerConnectionFactory {

	/**
	 * The transport's own log; the inherited logger repeats Spring Integration's
	 * lifecycle chatter and is turned down in application.properties.
	 */
	private static final Log log = LogFactory.getLog("dev.timestamp.tcp");

	/** Without TLS, no record is ever arriving. */
	private static final IntSupplier NO_TLS = () -> 0;

	private final EventLoops loops;

	private final TcpMetrics metrics;

	private final ListenerSettings settings;

	private final ConnectionLimits limits;

	/** Set for the TLS listener: its connections are encrypted. */
	private @Nullable TlsTermination tls;

	/** Names the listener in settings: {@code timestamp.<listener>.port}. */
	private String listener = "tcp";

	/** Names the listener in logs and messages. */
	private String title = "TCP";

	/** Set for a listener whose request is the connection (Time, Daytime). */
	private @Nullable RequestOnConnect answerOnConnect;

	private final AtomicLong connectionIds = new AtomicLong();

	private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final ConnectionAccounting accounting;

	private final SourceAdmission sourceAdmission;

	private volatile @Nullable Channel serverChannel;

	/** Bound but not accepting yet: see {@link #setHoldUntilOpened}. */
	private volatile boolean held;

	/** Set by a graceful shutdown: runs once when the last connection has closed. */
	private volatile @Nullable Runnable whenDrained;

	private final MemoryPressure memoryPressure;

	/** A disabled factory never binds, whoever starts it. */
	private volatile boolean enabled = true;

	/** Why the factory is not listening, for the health endpoint. */
	private volatile String notListeningReason = "not started";

	/**
	 * A listener on {@code loops}, whose connections draw on {@code descriptors} with
	 * every other listener's.
	 */
	public NettyTcpServerConnectionFactory(EventLoops loops, DescriptorBudget descriptors, TcpMetrics metrics,
			ListenerSettings settings) {
		super(settings.port());
		this.loops = loops;
		this.metrics = metrics;
		this.settings = settings;
		this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerSource(), descriptors);
		this.accounting = new ConnectionAccounting(this.limits, metrics, this::drained);
		this.sourceAdmission = new SourceAdmission(this.limits, metrics);
		this.memoryPressure = MemoryPressure.ofDirectMemory(settings.memoryPressurePercent());
		setBacklog(settings.backlog());
		setLocalAddress(this.settings.bindAddress().getHostAddress());
		setMapper(new ConnectionIdMapper());
		// start() hands run() to this executor; binding is quick, so bind on the caller
		// and let a failure (port in use) fail the start-up.
		setTaskExecutor(Runnable::run);
		metrics.bindActiveConnections(this.limits::open);
	}

	/**
	 * Makes this a TLS listener: every connection is encrypted by {@code tls}.
	 */
	public void setTls(TlsTermination tls) {
		this.tls = tls;
	}

	/**
	 * Names the listener: {@code name} in its settings ({@code timestamp.<name>.port}),
	 * {@code title} in logs and messages; {@code tcp} and {@code TCP} by default.
	 */
	public void setListenerName(String name, String title) {
		this.listener = name;
		this.title = title;
	}

	/** {@code TCP}, {@code TLS}, ... */
	public String getListenerName() {
		return this.title;
	}

	/**
	 * Makes each connection one request, made as it is admitted: the reply is sent and
	 * the server closes, or closes without a reply while {@code answerable} is false.
	 */
	public void setAnswerOnConnect(BooleanSupplier answerable) {
		this.answerOnConnect = new RequestOnConnect(this.metrics, answerable);
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Binds at start but accepts no connection until {@link #openForClients()}: the
	 * outbound adapter starts this factory before the flow behind the inbound adapter has
	 * subscribed, and a request accepted in between would find no subscriber.
	 */
	public void setHoldUntilOpened(boolean hold) {
		this.held = hold;
	}

	/** Starts accepting (every flow is subscribed: {@code OpenForClients}). */
	public void openForClients() {
		this.held = false;
		Channel server = this.serverChannel;
		if (server != null) {
			server.config().setAutoRead(true);
		}
	}

	@Override
	public void start() {
		if (this.enabled) {
			super.start();
		}
	}

	@Override
	public void run() {
		InetSocketAddress address = new InetSocketAddress(this.settings.bindAddress(), super.getPort());
		this.limits.limitToDescriptors(this.settings.maxConnections());
		this.limits.startAccepting();
		AcceptFailures acceptFailures = new AcceptFailures(this.metrics);
		CapOnAccept capOnAccept = new CapOnAccept(this.limits);
		try {
			this.serverChannel = new ServerBootstrap().group(this.loops.tcpGroup())
				.channel(this.loops.tcpServerChannelType())
				.option(ChannelOption.AUTO_READ, false)
				.handler(new ChannelInitializer<>() {
					@Override
					protected void initChannel(Channel listener) {
						listener.pipeline().addLast(acceptFailures, capOnAccept);
					}
				})
				.option(ChannelOption.SO_BACKLOG, getBacklog())
				.option(ChannelOption.SO_REUSEADDR, true)
				// No TCP_NODELAY: Netty turns Nagle off on every accepted socket already
				// (its socket configs' default); repeating it is a system call per
				// connection.
				.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
				.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
						new WriteBufferWaterMark(this.settings.maxQueuedReplyBytes() / 2,
								this.settings.maxQueuedReplyBytes()))
				.childOption(ChannelOption.RCVBUF_ALLOCATOR,
						ReadBufferSizes.of(this.settings.framing(), this.settings.maxFrameBytes()))
				.childHandler(new ChannelInitializer<>() {
					@Override
					protected void initChannel(Channel channel) {
						initConnection(channel);
					}
				})
				.bind(address)
				.syncUninterruptibly()
				.channel();
		}
		catch (Exception ex) {
			setActive(false);
			this.notListeningReason = "could not bind " + address + ": " + ex.getMessage();
			throw new ListenerStartException(this.title, address, "timestamp." + this.listener + ".port", ex);
		}
		if (!this.held) {
			this.serverChannel.config().setAutoRead(true);
		}
		this.serverChannel.closeFuture().addListener((closed) -> {
			if (isListening()) {
				setListening(false);
				this.notListeningReason = "the listening socket closed unexpectedly";
				log.error(this.title + " listener on " + address + " stopped unexpectedly");
			}
		});
		setListening(true);
		log.info(this.title + " listening on " + BindAddress.describe(this.settings.bindAddress(), getPort()) + " ("
				+ ((this.answerOnConnect != null) ? "" : "framing " + this.settings.framing().configName() + ", ")
				+ this.loops.tcpTransportName() + (this.settings.proxyProtocol().enabled()
						? ", PROXY protocol " + this.settings.proxyProtocol().describe() : "")
				+ ")");
		publishServerListeningEvent(getPort());
	}

	/**
	 * A connection's pipeline, one handler per concern, in the order its bytes meet them:
	 * counting, which also closes a connection accepted over the cap in all (decided on
	 * the listener, in accept order, by {@link CapOnAccept}); the PROXY header (when on),
	 * which holds the connection back until its client is known; the cap per source,
	 * checked against that client; TLS (when on); framing with back-pressure; the idle
	 * and age timers; and the bridge to the Spring Integration connection. The timers sit
	 * after the framing because a complete request, not a byte, is what counts as
	 * activity.
	 */
	private void initConnection(Channel channel) {
		this.channels.add(channel);
		if (channel instanceof IoUringSocketChannel) {
			IoUringReadBuffers.guard(channel);
		}
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addLast("accounting", this.accounting);
		if (this.settings.proxyProtocol().enabled()) {
			pipeline.addLast("proxy-protocol", new ProxyProtocolDetector(this.settings.proxyProtocol()));
		}
		pipeline.addLast("source-admission", this.sourceAdmission);
		TlsTermination tls = this.tls;
		// After the caps, so a connection over them costs no handshake.
		IntSupplier tlsRecordArriving = (tls != null) ? tls.install(channel, this.metrics) : NO_TLS;
		ListenerSettings settings = this.settings;
		RequestOnConnect answerOnConnect = this.answerOnConnect;
		if (answerOnConnect != null) {
			pipeline.addLast("framing", answerOnConnect);
		}
		else {
			// The raw fallback applies to line framing only (FramingHandler).
			pipeline.addLast("framing", new FramingHandler(settings.framing(), settings.maxFrameBytes(),
					settings.rawFallbackAfter().toNanos(), this.metrics, this.memoryPressure, tlsRecordArriving));
		}
		if (!settings.maxConnectionAge().isZero()) {
			pipeline.addLast("max-age", new MaxConnectionAge(settings.maxConnectionAge().toNanos()));
		}
		// The idle clock after the bridge, so that replies do not pass through it.
		pipeline.addLast("bridge", new ConnectionBridge(this, this.metrics.requests()))
			.addLast("idle-timeout", new IdleTimeout(settings.idleTimeout().toNanos()));
	}

	/** The bound port, which differs from the configured one when that is 0. */
	@Override
	public int getPort() {
		Channel channel = this.serverChannel;
		return (channel != null) ? ((InetSocketAddress) channel.localAddress()).getPort() : super.getPort();
	}

	public InetAddress getBindAddress() {
		return this.settings.bindAddress();
	}

	/** Whether each connection is one request (Time, Daytime), with no framing. */
	public boolean answersOnConnect() {
		return this.answerOnConnect != null;
	}

	public Framing getFraming() {
		return this.settings.framing();
	}

	public int getMaxFrameBytes() {
		return this.settings.maxFrameBytes();
	}

	/** Connections currently open. */
	public int getOpenConnectionCount() {
		return this.limits.open();
	}

	/** The open connections; a snapshot. */
	List<NettyTcpConnection> liveConnections() {
		return this.connections.values().stream().map(NettyTcpConnection.class::cast).toList();
	}

	/**
	 * An admitted connection reached the bridge: it becomes a Spring Integration
	 * connection, registered with the adapters.
	 */
	NettyTcpConnection connected(ChannelHandlerContext ctx) {
		NettyTcpConnection connection = new NettyTcpConnection(ctx, "tcp-" + this.connectionIds.incrementAndGet(),
				getComponentName(), this.settings.framing(), getApplicationEventPublisher());
		connection.setMapper(getMapper());
		TcpListener listener = getListener();
		if (listener != null) {
			connection.registerListener(listener);
		}
		connection.registerSenders(getSenders());
		wrapConnection(connection);
		if (log.isDebugEnabled()) {
			log.debug("Connection " + connection.getConnectionId() + " opened from "
					+ ClientAddress.describe(ctx.channel()));
		}
		connection.opened();
		return connection;
	}

	/** The connection's channel has closed. */
	void disconnected(NettyTcpConnection connection, CloseReason reason) {
		this.connections.remove(connection.getConnectionId());
		if (log.isDebugEnabled()) {
			log.debug("Connection " + connection.getConnectionId() + " from "
					+ ClientAddress.text(connection.remoteAddress()) + " closed (" + reason.tag() + ")");
		}
		connection.closed();
	}

	/**
	 * Graceful shutdown: stops accepting, then lets every connection finish what it has
	 * read (see {@link NettyTcpConnection#shutdownGracefully}). {@code whenClosed} runs
	 * once, when the last connection has closed or, at the latest, after the grace
	 * period.
	 */
	public void shutdownGracefully(long graceMillis, Runnable whenClosed) {
		this.notListeningReason = "shutting down";
		setListening(false);
		AtomicBoolean once = new AtomicBoolean();
		this.whenDrained = () -> {
			if (once.compareAndSet(false, true)) {
				whenClosed.run();
			}
		};
		Channel channel = this.serverChannel;
		if (channel != null) {
			channel.close().syncUninterruptibly();
		}
		this.limits.stopAccepting();
		this.channels.forEach((connection) -> ConnectionEnd.end(connection, CloseReason.SHUTDOWN, null, graceMillis));
		this.loops.tcpGroup().schedule(this::drained, graceMillis, TimeUnit.MILLISECONDS);
		if (this.limits.open() == 0) {
			drained();
		}
	}

	private void drained() {
		Runnable whenDrained = this.whenDrained;
		if (whenDrained != null) {
			whenDrained.run();
		}
	}

	/**
	 * Why the factory is not listening (meaningful while {@link #isListening()} is
	 * false).
	 */
	public String getNotListeningReason() {
		return this.enabled ? this.notListeningReason : "disabled (timestamp." + this.listener + ".enabled=false)";
	}

	@Override
	public void stop() {
		this.limits.stopAccepting();
		this.notListeningReason = "stopped";
		setListening(false);
		Channel channel = this.serverChannel;
		if (channel != null) {
			channel.close().syncUninterruptibly();
			this.serverChannel = null;
		}
		super.stop();
		this.channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

}
