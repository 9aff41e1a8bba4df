package dev.timestamp.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One group of event loops for both transports: native epoll where available, NIO
 * elsewhere. Each connection and each UDP socket live on one loop, and the whole
 * request-to-reply flow runs on it, so there is no thread hand-off per request. With
 * {@link TcpTransport#IO_URING} the TCP listener gets a second group of as many io_uring
 * loops; UDP stays on the first.
 */
public final class EventLoops implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EventLoops.class);

	/**
	 * Netty's switch for multishot accept, on by default: one request that keeps
	 * accepting, so the kernel takes a whole backlog into descriptors before the loop
	 * gets to close any connection shed over the caps. At the descriptor limit that runs
	 * the process out of descriptors, the reserve kept for the health probes included.
	 * One accept at a time bounds them as epoll does. Netty reads it once, when io_uring
	 * is first touched, which is why this class sets it as it loads; a value given on the
	 * command line wins.
	 */
	static final String ACCEPT_MULTISHOT = "io.netty.iouring.acceptMultiShotEnabled";

	static {
		if (System.getProperty(ACCEPT_MULTISHOT) == null) {
			System.setProperty(ACCEPT_MULTISHOT, "false");
		}
	}

	private final EventLoopGroup group;

	private final boolean epoll;

	/** The TCP listener's own io_uring loops, or null when it shares {@link #group}. */
	private final @Nullable EventLoopGroup ioUringGroup;

	public EventLoops(int threads) {
		this(threads, "timestamp-io");
	}

	public EventLoops(int threads, String threadName) {
		this(threads, threadName, TcpTransport.EPOLL);
	}

	public EventLoops(int threads, String threadName, TcpTransport tcpTransport) {
		this.epoll = Epoll.isAvailable();
		int count = (threads > 0) ? threads : Runtime.getRuntime().availableProcessors();
		this.group = new MultiThreadIoEventLoopGroup(count, new DefaultThreadFactory(threadName, true),
				ioHandlerFactory());
		this.ioUringGroup = useIoUring(tcpTransport, EventLoops::ioUringAvailable) ? new MultiThreadIoEventLoopGroup(
				count, new DefaultThreadFactory(threadName + "-tcp", true), IoUringIoHandler.newFactory()) : null;
		logger.debug("Started " + count + " event loop(s) on " + (this.epoll ? "epoll" : "NIO")
				+ ((this.ioUringGroup != null) ? ", and " + count + " on io_uring for TCP" : ""));
	}

	/**
	 * Whether TCP runs on io_uring: when asked for and the kernel allows it. A kernel
	 * that does not (too old, or io_uring blocked, as container runtimes' default seccomp
	 * profiles do) leaves TCP on epoll, with a warning that says why.
	 */
	static boolean useIoUring(TcpTransport requested, BooleanSupplier availability) {
		if (requested != TcpTransport.IO_URING) {
			return false;
		}
		boolean available = availability.getAsBoolean();
		if (!available) {
			Throwable cause = IoUring.unavailabilityCause();
			logger.warn("timestamp.tcp.transport=io-uring, but io_uring is not available here ("
					+ ((cause != null) ? cause.getMessage() : "unknown reason") + "): TCP uses epoll");
		}
		return available;
	}

	/**
	 * Whether this kernel allows Netty's io_uring. Ask here rather than {@link IoUring}
	 * directly, so that io_uring is set up as this class sets it.
	 */
	public static boolean ioUringAvailable() {
		return IoUring.isAvailable();
	}

	public EventLoopGroup group() {
		return this.group;
	}

	/** The TCP listener's loops: io_uring's when it runs on them, else {@link #group}. */
	public EventLoopGroup tcpGroup() {
		return (this.ioUringGroup != null) ? this.ioUringGroup : this.group;
	}

	public Class<? extends ServerChannel> tcpServerChannelType() {
		return (this.ioUringGroup != null) ? IoUringServerSocketChannel.class : serverChannelType();
	}

	public String tcpTransportName() {
		return (this.ioUringGroup != null) ? "io_uring" : transportName();
	}

	/** Every loop of the group, each its own thread. */
	public List<EventLoop> loops() {
		List<EventLoop> loops = new ArrayList<>();
		this.group.forEach((executor) -> loops.add((EventLoop) executor));
		return loops;
	}

	public Class<? extends ServerChannel> serverChannelType() {
		return this.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
	}

	public Class<? extends Channel> socketChannelType() {
		return this.epoll ? EpollSocketChannel.class : NioSocketChannel.class;
	}

	public Class<? extends DatagramChannel> datagramChannelType() {
		return this.epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
	}

	/** Makes event loops of this group's transport: epoll, or NIO where there is none. */
	IoHandlerFactory ioHandlerFactory() {
		return this.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
	}

	public boolean isEpoll() {
		return this.epoll;
	}

	public String transportName() {
		return this.epoll ? "epoll" : "nio";
	}

	/** Called by the context on shutdown, and by the tools through try-with-resources. */
	@Override
	public void close() {
		// The listeners are already stopped by now; nothing is left to drain.
		if (this.ioUringGroup != null) {
			this.ioUringGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		}
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
