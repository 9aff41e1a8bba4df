package dev.timestamp.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One group of event loops for both transports: native epoll where available, NIO
 * elsewhere. Each connection and each UDP socket live on one loop, and the whole
 * request-to-reply flow runs on it, so there is no thread hand-off per request.
 */
public final class EventLoops implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EventLoops.class);

	private final EventLoopGroup group;

	private final boolean epoll;

	public EventLoops(int threads) {
		this(threads, "timestamp-io");
	}

	public EventLoops(int threads, String threadName) {
		this.epoll = Epoll.isAvailable();
		int count = (threads > 0) ? threads : Runtime.getRuntime().availableProcessors();
		IoHandlerFactory ioHandler = this.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		this.group = new MultiThreadIoEventLoopGroup(count, new DefaultThreadFactory(threadName, true), ioHandler);
		logger.debug("Started " + count + " event loop(s) on " + (this.epoll ? "epoll" : "NIO"));
	}

	public EventLoopGroup group() {
		return this.group;
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
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
