/**
 * The TLS side of a connection's pipeline: the record still arriving, the handshake gate
 * and the replies sent record by record; {@code TlsTermination.install} adds them in
 * order.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.tls;

import org.jspecify.annotations.NullMarked;
