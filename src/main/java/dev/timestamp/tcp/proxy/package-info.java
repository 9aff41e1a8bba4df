/**
 * The PROXY protocol: which peers may send a header, the header's detection and decoding,
 * and the client it declares.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.proxy;

import org.jspecify.annotations.NullMarked;
