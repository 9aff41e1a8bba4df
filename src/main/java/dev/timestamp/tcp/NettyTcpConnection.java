package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import dev.timestamp.framing.Framing;
import dev.timestamp.metrics.RequestMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.SocketInfo;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpListener;
import org.springframework.messaging.Message;

/**
 * One accepted TCP connection as Spring Integration sees it, backed by a Netty channel.
 * Requests reach the inbound adapter through {@link #receive}; the outbound adapter's
 * replies come back through {@link #send}. Both run on the channel's event loop, so
 * replies are written in request order and flushed once per read batch.
 */
final class NettyTcpConnection extends TcpConnectionSupport {

	private static final int BATCH_INITIAL_BYTES = 2048;

	/** A batch this large is handed to the channel at once, so back-pressure sees it. */
	private static final int BATCH_MAX_BYTES = 64 * 1024;

	private final Channel channel;

	private final String connectionId;

	private final String factoryName;

	/**
	 * How replies are framed; a line connection can become raw (see the raw fallback).
	 */
	private Framing framing;

	private final InetSocketAddress remote;

	/** The request being mapped to a message; only set during {@link #receive}. */
	private byte @Nullable [] payload;

	private boolean flushPending;

	/** Replies written during the current read batch, not yet handed to the channel. */
	private @Nullable ByteBuf batch;

	/** Replies and their bytes written since the counts were last published. */
	private long repliesWritten;

	private long bytesWritten;

	private volatile @Nullable CloseReason closeReason;

	NettyTcpConnection(Channel channel, String connectionId, String factoryName, Framing framing,
			ApplicationEventPublisher publisher) {
		super(publisher);
		this.channel = channel;
		this.connectionId = connectionId;
		this.factoryName = factoryName;
		this.framing = framing;
		this.remote = (InetSocketAddress) channel.remoteAddress();
	}

	/**
	 * Hands one request to the inbound adapter; its reply is written before this returns.
	 */
	void receive(byte[] request) {
		// The handler only passes requests of a connection that is neither closing nor
		// closed.
		TcpListener listener = getListener();
		if (listener == null) {
			return;
		}
		this.payload = request;
		try {
			Message<?> message = getMapper().toMessage(this);
			if (message != null) {
				listener.onMessage(message);
			}
		}
		finally {
			this.payload = null;
		}
	}

	@Override
	public void send(Message<?> message) {
		Object reply = message.getPayload();
		write((reply instanceof byte[] bytes) ? bytes : (byte[]) getMapper().fromMessage(message));
	}

	/**
	 * Writes an error reply in the connection's framing, e.g.
	 * {@code ERR frame exceeds 65536 bytes}; it counts as a failed request, not an
	 * answered one.
	 */
	void writeError(String text, RequestMetrics metrics) {
		write(text.getBytes(StandardCharsets.US_ASCII));
		if (this.repliesWritten > 0) {
			this.repliesWritten--;
			metrics.failed();
		}
	}

	private void write(byte @Nullable [] reply) {
		// A reply for a connection the client already closed has nowhere to go.
		if (reply == null || !this.channel.isActive()) {
			return;
		}
		int length = reply.length + this.framing.overhead();
		this.repliesWritten++;
		this.bytesWritten += length;
		if (!this.channel.eventLoop().inEventLoop()) {
			ByteBuf buffer = this.channel.alloc().ioBuffer(length);
			this.framing.encode(reply, buffer);
			this.channel.writeAndFlush(buffer, this.channel.voidPromise());
			return;
		}
		// The replies to one read batch go out as one buffer in one write, as a C server
		// would do it, instead of one buffer and one outbound entry per reply.
		if (this.batch == null) {
			this.batch = this.channel.alloc().ioBuffer(Math.max(BATCH_INITIAL_BYTES, length));
		}
		this.framing.encode(reply, this.batch);
		if (this.batch.readableBytes() >= BATCH_MAX_BYTES) {
			writeBatch();
		}
		this.flushPending = true;
	}

	/**
	 * Whether the replies queued for this connection (written or still batched) have
	 * reached the cap; then the batch is handed to the channel, whose writability will
	 * tell when the client has read enough.
	 */
	boolean isOverQueueCap() {
		if (this.batch != null && this.batch.readableBytes() >= this.channel.bytesBeforeUnwritable()) {
			writeBatch();
		}
		return !this.channel.isWritable();
	}

	private void writeBatch() {
		ByteBuf full = this.batch;
		this.batch = null;
		if (full != null) {
			this.channel.write(full, this.channel.voidPromise());
		}
	}

	/** Drops a batch that can no longer be sent. */
	void releaseBatch() {
		if (this.batch != null) {
			this.batch.release();
			this.batch = null;
		}
	}

	/**
	 * Adds the replies written since the last call to the meters; once per read batch.
	 */
	void publishCounts(RequestMetrics metrics) {
		if (this.repliesWritten > 0) {
			metrics.answeredCount(this.repliesWritten);
			this.repliesWritten = 0;
		}
		// Error replies are not answered requests, but their bytes are sent all the same.
		if (this.bytesWritten > 0) {
			metrics.sent(this.bytesWritten);
			this.bytesWritten = 0;
		}
	}

	void flushIfPending() {
		if (this.flushPending) {
			this.flushPending = false;
			writeBatch();
			this.channel.flush();
		}
	}

	/** From now on, replies go out unframed: the connection is served as raw. */
	void replyRaw() {
		this.framing = Framing.RAW;
	}

	/** Records why the connection ends; the first reason wins. */
	void closing(CloseReason reason) {
		if (this.closeReason == null) {
			this.closeReason = reason;
		}
	}

	boolean isClosing() {
		return this.closeReason != null;
	}

	@Nullable CloseReason closeReason() {
		return this.closeReason;
	}

	void close(CloseReason reason) {
		closing(reason);
		this.channel.close();
	}

	/**
	 * Shutdown, on the event loop: requests already read are answered (their replies are
	 * written), later input is read and discarded, and once the replies are flushed the
	 * output is closed (FIN). The client's own close then ends the connection without a
	 * reset; a client that never closes is closed after {@code graceMillis}.
	 */
	void shutdownGracefully(long graceMillis) {
		this.channel.eventLoop().execute(() -> {
			if (!this.channel.isActive()) {
				return;
			}
			closing(CloseReason.SHUTDOWN);
			flushIfPending();
			this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((flushed) -> {
				if (this.channel instanceof DuplexChannel duplex) {
					duplex.shutdownOutput();
				}
				else {
					this.channel.close();
				}
			});
			this.channel.config().setAutoRead(true);
			this.channel.eventLoop().schedule(() -> this.channel.close(), graceMillis, TimeUnit.MILLISECONDS);
		});
	}

	/** Called by Spring Integration (factory stop, failed send). */
	@Override
	public void close() {
		closing(CloseReason.SHUTDOWN);
		this.channel.close();
	}

	/** Registered with the factory: publish the open event. */
	void opened() {
		publishConnectionOpenEvent();
	}

	/** The channel is gone: tell the adapters and publish the close event, once. */
	void closed() {
		super.close();
	}

	Channel channel() {
		return this.channel;
	}

	InetSocketAddress remoteAddress() {
		return this.remote;
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public @Nullable Object getPayload() {
		return this.payload;
	}

	@Override
	public String getConnectionId() {
		return this.connectionId;
	}

	@Override
	public String getConnectionFactoryName() {
		return this.factoryName;
	}

	@Override
	public String getHostName() {
		return this.remote.getHostString();
	}

	@Override
	public String getHostAddress() {
		return this.remote.getAddress().getHostAddress();
	}

	@Override
	public int getPort() {
		return this.remote.getPort();
	}

	@Override
	public boolean isServer() {
		return true;
	}

	@Override
	public @Nullable Object getDeserializerStateKey() {
		return null;
	}

	@Override
	public @Nullable SSLSession getSslSession() {
		return null;
	}

	@Override
	public @Nullable SocketInfo getSocketInfo() {
		return null;
	}

	/** Netty's event loop drives reads; there is no reader thread to run. */
	@Override
	public void run() {
	}

}
