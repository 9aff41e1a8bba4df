/**
 * Memory and read-buffer sizing: the direct-memory bound, read buffers sized by framing,
 * and io_uring's read buffers.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.memory;

import org.jspecify.annotations.NullMarked;
