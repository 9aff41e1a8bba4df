package dev.timestamp.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The actuator HTTP server's one event loop, on the service's own transport (epoll, NIO
 * where there is none). Reactor Netty would pick io_uring wherever the kernel allows it,
 * because {@code timestamp.tcp.transport=io-uring} puts io_uring on the class path; which
 * transport a port uses is the operator's choice, not a side effect of a dependency.
 */
final class HttpLoopResources implements LoopResources {

	private final EventLoopGroup group;

	HttpLoopResources(String threadName, IoHandlerFactory ioHandler) {
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), ioHandler);
	}

	/** The one loop accepts and serves: a few probes and scrapes need no more. */
	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.group;
	}

	@Override
	public boolean daemon() {
		return true;
	}

	@Override
	public boolean isDisposed() {
		return this.group.isShuttingDown();
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.create((sink) -> this.group
			.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
			.addListener((done) -> {
				if (done.isSuccess()) {
					sink.success();
				}
				else {
					sink.error(done.cause());
				}
			}));
	}

}
