package dev.timestamp.tls;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

/**
 * One TLS handshake, in memory, between a server context and a client that offers the
 * same protocols and cipher suites. Some settings leave a server that starts, reports
 * itself ready and fails every handshake: cipher suites none of which go with the key
 * (ECDSA suites only, on TLS 1.2, for an RSA certificate), or a protocol whose suites
 * were all left out. Only a handshake tells them all apart from a working server.
 */
final class SelfHandshake {

	/** Far more than a TLS 1.2 or 1.3 handshake's flights. */
	private static final int MAX_ROUNDS = 16;

	private SelfHandshake() {
	}

	/** Throws the engine's own reason when the handshake fails. */
	static void check(SslContext server, SslProvider provider) throws SSLException {
		SslContext client = SslContextBuilder.forClient()
			.sslProvider(provider)
			.trustManager(InsecureTrustManagerFactory.INSTANCE)
			.protocols(BundleTlsTermination.PROTOCOLS)
			.ciphers(server.cipherSuites())
			.build();
		SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
		SSLEngine clientEngine = client.newEngine(ByteBufAllocator.DEFAULT);
		try {
			handshake(clientEngine, serverEngine);
		}
		finally {
			ReferenceCountUtil.release(serverEngine);
			ReferenceCountUtil.release(clientEngine);
			ReferenceCountUtil.release(client);
		}
	}

	private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
		int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
		ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
		ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
		ByteBuffer received = ByteBuffer.allocate(Math.max(client.getSession().getApplicationBufferSize(),
				server.getSession().getApplicationBufferSize()));
		client.beginHandshake();
		server.beginHandshake();
		for (int round = 0; round < MAX_ROUNDS; round++) {
			if (finished(client) && finished(server)) {
				return;
			}
			pass(client, toServer, server, received);
			pass(server, toClient, client, received);
		}
		throw new SSLHandshakeException("the handshake did not finish");
	}

	/** What {@code from} has to send, received by {@code to}. */
	private static void pass(SSLEngine from, ByteBuffer wire, SSLEngine to, ByteBuffer received) throws SSLException {
		ByteBuffer nothing = ByteBuffer.allocate(0);
		boolean more;
		do {
			// A flight can take several records, with tasks to run between them.
			int produced = from.wrap(nothing, wire).bytesProduced();
			boolean ranTasks = runTasks(from);
			more = (produced > 0 || ranTasks) && from.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
		}
		while (more);
		wire.flip();
		while (wire.hasRemaining() && to.unwrap(wire, received).bytesConsumed() > 0) {
			runTasks(to);
			received.clear();
		}
		runTasks(to);
		wire.compact();
	}

	/** Whether there were any. */
	private static boolean runTasks(SSLEngine engine) {
		boolean any = false;
		for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
			task.run();
			any = true;
		}
		return any;
	}

	private static boolean finished(SSLEngine engine) {
		HandshakeStatus status = engine.getHandshakeStatus();
		return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
	}

}
