/**
 * Accept-time admission: the cap in all (decided on the listener, in accept order), the
 * cap per source, the share of the descriptor budget, and the opened/closed accounting.
 * <p>
 * Internal to the TCP transport ({@code dev.timestamp.tcp}): its types are public only so
 * that the transport's packages can use one another.
 */
@NullMarked
package dev.timestamp.tcp.admission;

import org.jspecify.annotations.NullMarked;
