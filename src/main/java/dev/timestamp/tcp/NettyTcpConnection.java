package dev.timestamp.tcp;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

import dev.timestamp.framing.Framing;
import dev.timestamp.metrics.RequestMetrics;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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

	/** The bridge's context: replies are written from there, past the bridge itself. */
	private final ChannelHandlerContext ctx;

	private final String connectionId;

	private final String factoryName;

	/**
	 * How replies are framed; a line connection can become raw (see the raw fallback).
	 */
	private Framing framing;

	private final InetSocketAddress remote;

	/** The client's address as text, made once: every request's message carries it. */
	private final String hostAddress;

	/** The request being mapped to a message; only set during {@link #receive}. */
	private byte @Nullable [] payload;

	private boolean flushPending;

	/** Replies written during the current read batch, not yet handed to the channel. */
	private @Nullable ByteBuf batch;

	/** Replies and their bytes written since the counts were last published. */
	private long repliesWritten;

	private long bytesWritten;

	NettyTcpConnection(ChannelHandlerContext ctx, String connectionId, String factoryName, Framing framing,
			ApplicationEventPublisher publisher) {
		super(publisher);
		this.ctx = ctx;
		this.channel = ctx.channel();
		this.connectionId = connectionId;
		this.factoryName = factoryName;
		this.framing = framing;
		this.remote = ClientAddress.of(this.channel);
		this.hostAddress = this.remote.getAddress().getHostAddress();
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
		ByteBuf pending = this.batch;
		if (pending == null) {
			pending = this.channel.alloc().ioBuffer(Math.max(BATCH_INITIAL_BYTES, length));
			this.batch = pending;
		}
		this.framing.encode(reply, pending);
		// Past the queue cap the batch goes to the channel, which then turns unwritable:
		// the framing handler stops reading until the client has read enough.
		int size = pending.readableBytes();
		if (size >= BATCH_MAX_BYTES || size >= this.channel.bytesBeforeUnwritable()) {
			writeBatch();
		}
		this.flushPending = true;
	}

	/** Hands the batched replies to the channel (not flushed). */
	void writeBatch() {
		ByteBuf full = this.batch;
		this.batch = null;
		if (full != null) {
			this.ctx.write(full, this.ctx.voidPromise());
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
			this.ctx.flush();
		}
	}

	/** From now on, replies go out unframed: the connection is served as raw. */
	void replyRaw() {
		this.framing = Framing.RAW;
	}

	/** Whether the connection is ending: no more requests are answered. */
	boolean isClosing() {
		return ConnectionEnd.isClosing(this.channel);
	}

	/** Called by Spring Integration (factory stop, failed send). */
	@Override
	public void close() {
		ConnectionEnd.close(this.channel, CloseReason.SHUTDOWN);
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
		return this.hostAddress;
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
