package dev.timestamp.tcp.tls;

import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replies to a decrypted record leave before the next record is read: the bridge
 * holds replies until a flush, and a close_notify in the next record would otherwise
 * close the engine's sending side under them.
 */
class TlsRecordRepliesTests {

	@Test
	void flushesTheRepliesToEachRecordBeforeTheNextIsRead() {
		EmbeddedChannel channel = new EmbeddedChannel(new TlsRecordReplies(), new WritesWithoutFlushing());
		channel.writeOneInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
		assertThat(replies(channel)).isEqualTo(1);
		channel.writeOneInbound(Unpooled.wrappedBuffer(new byte[] { 2 }));
		assertThat(replies(channel)).isEqualTo(1);
		channel.finishAndReleaseAll();
	}

	@Test
	void doesNotFlushAfterEachRecordOnceTheConnectionIsEnding() {
		// Input is dropped then; a flush with nothing to send makes the SslHandler write
		// an empty buffer, and a client that keeps sending would pile them up.
		FlushCount flushes = new FlushCount();
		EmbeddedChannel channel = new EmbeddedChannel(flushes, new TlsRecordReplies());
		ConnectionEnd.record(channel, CloseReason.MAX_AGE);
		for (int i = 0; i < 3; i++) {
			channel.writeOneInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
		}
		assertThat(flushes.count).isZero();
		channel.finishAndReleaseAll();
	}

	private static int replies(EmbeddedChannel channel) {
		int replies = 0;
		Object reply;
		while ((reply = channel.readOutbound()) != null) {
			ReferenceCountUtil.release(reply);
			replies++;
		}
		return replies;
	}

	/** Counts the flushes that reach the socket. */
	private static final class FlushCount extends ChannelOutboundHandlerAdapter {

		private int count;

		@Override
		public void flush(ChannelHandlerContext ctx) {
			this.count++;
			ctx.flush();
		}

	}

	/** Like the bridge: answers each record, and leaves the flush to whoever reads. */
	private static final class WritesWithoutFlushing extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf record = (ByteBuf) msg;
			ctx.write(Unpooled.wrappedBuffer(new byte[] { record.readByte() }));
			record.release();
		}

	}

}
