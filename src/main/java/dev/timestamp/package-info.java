/**
 * The timestamp echo service: a TCP and a UDP listener on Netty event loops, wired
 * through Spring Integration flows to one
 * {@link dev.timestamp.stamp.TimestampingService}.
 * <p>
 * Logging has one rule: what an operator reads about a transport as a whole (where it
 * listens, what it refuses, how a TLS handshake or a PROXY header failed) goes to the
 * transport's logger, {@code dev.timestamp.tcp}, {@code dev.timestamp.udp},
 * {@code dev.timestamp.tls} or {@code dev.timestamp.tcp.proxy}; everything else logs
 * under its class. {@code logging.level.dev.timestamp=debug} shows them all.
 */
@NullMarked
package dev.timestamp;

import org.jspecify.annotations.NullMarked;
