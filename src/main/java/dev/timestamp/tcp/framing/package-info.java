/**
 * Requests out of the byte stream: framing with its error replies and raw fallback, read
 * back-pressure with the memory check, and the idle and age timers.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.framing;

import org.jspecify.annotations.NullMarked;
