package dev.timestamp.tcp.tls;

import java.time.Duration;
import java.util.function.IntSupplier;

import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * What a listener needs to encrypt its connections: a TLS engine per connection, from the
 * certificate in force when it is accepted, and how long its handshake may take.
 */
public interface TlsTermination {

	/** A server-side handler for one new connection. */
	SslHandler newHandler(ByteBufAllocator allocator);

	Duration handshakeTimeout();

	/**
	 * Adds the TLS side of a connection's pipeline, in order: the count of the record
	 * still arriving, the engine, the handshake gate, and the replies sent record by
	 * record. Returns the bytes of the record still arriving, which the memory bound
	 * counts.
	 */
	default IntSupplier install(Channel channel, TcpMetrics metrics) {
		SslHandler ssl = newHandler(channel.alloc());
		ssl.setHandshakeTimeoutMillis(handshakeTimeout().toMillis());
		TlsPartialRecord partialRecord = new TlsPartialRecord();
		channel.pipeline()
			.addLast("tls-partial-record", partialRecord)
			.addLast("tls", ssl)
			.addLast("tls-handshake", new TlsHandshakeGate(metrics))
			.addLast("tls-replies", new TlsRecordReplies());
		return partialRecord::heldBytes;
	}

}
