/**
 * A connection's state and the one way it ends: its client's address, why it closed
 * ({@code CloseReason}), {@code ConnectionEnd}, the meters, and the log throttle. The
 * bottom of {@code tcp}: it depends on no other part of it.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.connection;

import org.jspecify.annotations.NullMarked;
