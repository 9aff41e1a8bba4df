package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.tcp.admission.CapOnAccept;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EmbeddedChannel} whose peer has a real socket address, and a recorder at the
 * end of its pipeline that notes what the handlers under test pass on.
 */
public final class EmbeddedConnection {

	public final Recorder recorder = new Recorder();

	public final EmbeddedChannel channel;

	private EmbeddedConnection(@Nullable InetSocketAddress peer, @Nullable CapOnAccept accept,
			ChannelHandler... handlers) {
		this.channel = new EmbeddedChannel(false, false) {
			@Override
			protected SocketAddress remoteAddress0() {
				return peer;
			}
		};
		if (accept != null) {
			accept.take(this.channel);
		}
		this.channel.pipeline().addLast(handlers).addLast("recorder", this.recorder);
		try {
			this.channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static EmbeddedConnection from(String host, int port, ChannelHandler... handlers) {
		return new EmbeddedConnection(new InetSocketAddress(host, port), null, handlers);
	}

	/** A connection the listener accepted through {@code accept} before setting it up. */
	public static EmbeddedConnection acceptedThrough(CapOnAccept accept, String host, int port,
			ChannelHandler... handlers) {
		return new EmbeddedConnection(new InetSocketAddress(host, port), accept, handlers);
	}

	/** A connection whose peer left before its address could be read (io_uring). */
	public static EmbeddedConnection withoutPeer(ChannelHandler... handlers) {
		return new EmbeddedConnection(null, null, handlers);
	}

	/** Everything written to the client so far, as text; the buffers are released. */
	public String outbound() {
		StringBuilder text = new StringBuilder();
		ByteBuf buffer;
		while ((buffer = this.channel.readOutbound()) != null) {
			text.append(buffer.toString(StandardCharsets.ISO_8859_1));
			buffer.release();
		}
		return text.toString();
	}

	public CloseReason closeReason() {
		return ConnectionEnd.reason(this.channel);
	}

	/** What reached the end of the pipeline. */
	public static final class Recorder extends ChannelInboundHandlerAdapter {

		public final List<Object> messages = new ArrayList<>();

		public final List<Object> events = new ArrayList<>();

		public boolean active;

		public InetSocketAddress clientWhenActive;

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.active = true;
			this.clientWhenActive = ClientAddress.of(ctx.channel());
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.messages.add(msg);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			this.events.add(evt);
		}

		/** The requests received, as text. */
		public List<String> requests() {
			return this.messages.stream()
				.map((message) -> new String((byte[]) message, StandardCharsets.ISO_8859_1))
				.toList();
		}

	}

}
