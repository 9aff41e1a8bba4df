/**
 * The UDP transport: an inbound endpoint and a reply handler on one Netty datagram
 * channel, so every reply leaves from the port its request arrived on.
 */
@NullMarked
package dev.timestamp.udp;

import org.jspecify.annotations.NullMarked;
