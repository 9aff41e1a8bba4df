/**
 * The TCP transport: a Netty-backed Spring Integration server connection factory and the
 * flow from its inbound adapter through the timestamping service to its outbound adapter.
 */
@NullMarked
package dev.timestamp.tcp;

import org.jspecify.annotations.NullMarked;
