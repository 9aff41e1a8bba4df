package dev.timestamp.tcp;

import java.time.Duration;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/**
 * What a listener needs to encrypt its connections: a TLS engine per connection, from the
 * certificate in force when it is accepted, and how long its handshake may take.
 */
public interface TlsTermination {

	/** A server-side handler for one new connection. */
	SslHandler newHandler(ByteBufAllocator allocator);

	Duration handshakeTimeout();

}
