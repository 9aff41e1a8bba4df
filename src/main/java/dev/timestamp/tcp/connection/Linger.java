package dev.timestamp.tcp.connection;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * How long an ending connection is kept ({@link ConnectionEnd}): every
 * {@link ConnectionEnd#LINGER_MILLIS} it is closed unless its client is still at it.
 * <ul>
 * <li>While replies wait to be sent, the client must have read some: a good client on a
 * slow link reads them all, one that reads nothing is cut (its unsent replies dropped)
 * rather than kept for as long as it likes.</li>
 * <li>Once the replies and the FIN are with the kernel, the client must have sent
 * something: closing while it still sends would leave its bytes unread, and the kernel
 * then resets the connection, destroying the replies it has not delivered yet. A quiet
 * client is closed, and the kernel still delivers them, then the FIN.</li>
 * </ul>
 * Whatever the client does, the connection is closed at the ending's deadline.
 */
final class Linger extends ChannelInboundHandlerAdapter implements Runnable {

	private final Channel channel;

	private final long deadlineNanos;

	/** Reply bytes not yet taken by the kernel at the last check. */
	private long unsent;

	/** Whether the client sent anything since the last check. */
	private boolean sending;

	private @Nullable Future<?> check;

	private Linger(Channel channel, long maxMillis) {
		this.channel = channel;
		this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
		this.unsent = unsentBytes(channel);
		channel.closeFuture().addListener((closed) -> {
			Future<?> check = this.check;
			if (check != null) {
				check.cancel(false);
			}
		});
	}

	/**
	 * Keeps the connection while its client reads the replies being flushed, at most
	 * {@code maxMillis}.
	 */
	static void whileRead(Channel channel, long maxMillis) {
		new Linger(channel, maxMillis).checkLater();
	}

	/**
	 * Keeps the connection while its client reads the replies being flushed and then,
	 * once the output is closed, while it still sends; at most {@code maxMillis}.
	 */
	static void whileReadOrSending(Channel channel, long maxMillis) {
		Linger linger = new Linger(channel, maxMillis);
		// First, to see the client's bytes whatever becomes of them.
		channel.pipeline().addFirst("linger", linger);
		linger.checkLater();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.sending = true;
		ctx.fireChannelRead(msg);
	}

	private void checkLater() {
		long left = this.deadlineNanos - System.nanoTime();
		this.check = this.channel.eventLoop()
			.schedule(this, Math.min(TimeUnit.MILLISECONDS.toNanos(ConnectionEnd.LINGER_MILLIS), left),
					TimeUnit.NANOSECONDS);
	}

	@Override
	public void run() {
		if (!this.channel.isActive()) {
			return;
		}
		long unsent = unsentBytes(this.channel);
		boolean outputClosed = this.channel instanceof DuplexChannel duplex && duplex.isOutputShutdown();
		boolean clientAtIt = outputClosed ? this.sending : (unsent < this.unsent || kernelSentLately(this.channel));
		if (!clientAtIt || System.nanoTime() - this.deadlineNanos >= 0) {
			ConnectionEnd.closeNow(this.channel);
			return;
		}
		this.unsent = unsent;
		this.sending = false;
		checkLater();
	}

	/**
	 * Whether the kernel sent the client data within the last check: the client is
	 * reading what the kernel holds. The kernel takes more of the server's replies only
	 * once the client has read much of that (up to some MB on Linux), so a slow client
	 * can read for seconds before the replies the server holds go down. Known on epoll
	 * (TCP_INFO); elsewhere only the replies the server holds tell.
	 */
	private static boolean kernelSentLately(Channel channel) {
		return channel instanceof EpollSocketChannel epoll
				&& epoll.tcpInfo().lastDataSent() < ConnectionEnd.LINGER_MILLIS;
	}

	private static long unsentBytes(Channel channel) {
		ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
		return (unsent != null) ? unsent.totalPendingWriteBytes() : 0;
	}

}
