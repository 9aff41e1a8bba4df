/**
 * The built-in benchmark ({@code bench tcp|udp}): a closed-loop load generator on Netty
 * that checks every reply and reports throughput and latency.
 */
@NullMarked
package dev.timestamp.bench;

import org.jspecify.annotations.NullMarked;
