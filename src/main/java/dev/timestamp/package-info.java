/**
 * The timestamp echo service: a TCP and a UDP listener on Netty event loops, wired
 * through Spring Integration flows to one
 * {@link dev.timestamp.stamp.TimestampingService}.
 */
@NullMarked
package dev.timestamp;

import org.jspecify.annotations.NullMarked;
