package dev.timestamp.tcp.connection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.TestCertificates;
import dev.timestamp.tcp.EmbeddedConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionEnd}, the one close routine, on an embedded channel (which has no
 * half-close, so the routine closes it once flushed).
 */
class ConnectionEndTests {

	@Test
	void theFirstReasonWins() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000);
		ConnectionEnd.close(connection.channel, CloseReason.IDLE);
		ConnectionEnd.close(connection.channel, CloseReason.ERROR);
		assertThat(connection.closeReason()).isEqualTo(CloseReason.IDLE);
	}

	@Test
	void anOpenConnectionWasClosedByItsClient() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000);
		assertThat(ConnectionEnd.isClosing(connection.channel)).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.CLIENT);
	}

	@Test
	void readingAConnectionsStateAddsNothingToIt() {
		// An attribute on every open connection is memory every idle connection pays.
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000);
		ConnectionEnd.isClosing(connection.channel);
		ConnectionEnd.reason(connection.channel);
		ClientAddress.of(connection.channel);
		ClientAddress.describe(connection.channel);
		assertThat(connection.channel.hasAttr(AttributeKey.valueOf(ConnectionEnd.class, "reason"))).isFalse();
		assertThat(connection.channel.hasAttr(AttributeKey.valueOf(ClientAddress.class, "declared"))).isFalse();
	}

	@Test
	void flushesWhatWasWrittenThenTheLastLineThenCloses() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000);
		connection.channel.write(text("reply\r\n"));
		ConnectionEnd.end(connection.channel, CloseReason.FRAME_TOO_LARGE, text("ERR frame exceeds 8 bytes\r\n"),
				ConnectionEnd.LINGER_MILLIS);
		assertThat(connection.outbound()).isEqualTo("reply\r\nERR frame exceeds 8 bytes\r\n");
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.FRAME_TOO_LARGE);
	}

	@Test
	void aSecondEndDropsItsLastLine() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000);
		connection.channel.config().setAutoClose(false);
		ConnectionEnd.close(connection.channel, CloseReason.SHUTDOWN);
		ByteBuf late = text("ERR late\r\n");
		ConnectionEnd.end(connection.channel, CloseReason.ERROR, late, 0);
		assertThat(late.refCnt()).isZero();
		assertThat(connection.outbound()).isEmpty();
	}

	private static ByteBuf text(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	@Test
	void anAbortedTlsConnectionSendsNoClosureAlert(@TempDir Path dir) throws Exception {
		// close_notify tells the client that nothing was cut off, and an abort drops the
		// replies not yet sent; waiting for it to be flushed would also keep the memory
		// the abort is meant to free.
		EmbeddedChannel server = tlsConnection(dir);

		ConnectionEnd.abort(server, CloseReason.MEMORY);

		assertThat(server.isOpen()).isFalse();
		assertThat(server.outboundMessages()).as("bytes sent after the abort").isEmpty();
		assertThat(ConnectionEnd.reason(server)).isEqualTo(CloseReason.MEMORY);
	}

	@Test
	void closesATlsConnectionThatReadsNothingAtTheLingerWithoutASecondWait(@TempDir Path dir) throws Exception {
		// The SslHandler would try its close_notify again, wait 3 s more for a client
		// that is not reading, and log a WARN for each such connection.
		EmbeddedChannel server = tlsConnection(dir);
		server.pipeline().addFirst(new UnreadSocket());

		ConnectionEnd.close(server, CloseReason.IDLE);
		server.advanceTimeBy(ConnectionEnd.LINGER_MILLIS, TimeUnit.MILLISECONDS);
		server.runScheduledPendingTasks();

		assertThat(server.isOpen()).isFalse();
	}

	/** The server's side of a TLS connection whose handshake is done. */
	private static EmbeddedChannel tlsConnection(Path dir) throws Exception {
		TestCertificates certificates = TestCertificates.create(dir);
		SslContext serverTls = SslContextBuilder
			.forServer(certificates.serverCertificate().toFile(), certificates.serverKey().toFile())
			.sslProvider(SslProvider.JDK)
			.build();
		SslContext clientTls = SslContextBuilder.forClient()
			.trustManager(certificates.ca().toFile())
			.sslProvider(SslProvider.JDK)
			.build();
		EmbeddedChannel server = new EmbeddedChannel(serverTls.newHandler(ByteBufAllocator.DEFAULT));
		EmbeddedChannel client = new EmbeddedChannel(clientTls.newHandler(ByteBufAllocator.DEFAULT, "localhost", 443));
		SslHandler clientSide = client.pipeline().get(SslHandler.class);
		SslHandler serverSide = server.pipeline().get(SslHandler.class);
		for (int round = 0; round < 10
				&& !(clientSide.handshakeFuture().isDone() && serverSide.handshakeFuture().isDone()); round++) {
			pass(client, server);
			pass(server, client);
		}
		assertThat(serverSide.handshakeFuture().isSuccess()).as("handshake").isTrue();
		assertThat(clientSide.handshakeFuture().isSuccess()).as("handshake").isTrue();
		client.finishAndReleaseAll();
		return server;
	}

	private static void pass(EmbeddedChannel from, EmbeddedChannel to) {
		for (Object bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
			to.writeInbound(bytes);
		}
	}

	/** A socket whose client reads nothing: no write ever completes. */
	private static final class UnreadSocket extends ChannelOutboundHandlerAdapter {

		private final List<Object> unsent = new ArrayList<>();

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			this.unsent.add(msg);
		}

		@Override
		public void flush(ChannelHandlerContext ctx) {
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			this.unsent.forEach(ReferenceCountUtil::release);
		}

	}

}
