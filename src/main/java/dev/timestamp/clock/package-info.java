/**
 * The clock: the kernel's view of it (adjtimex, as gauges), and the internet's own time
 * protocols, RFC 868 Time and RFC 867 Daytime, served from the clock, format and zone the
 * timestamps use: small Netty listeners on the shared event loops, with no request to
 * decode and no Spring Integration flow.
 */
@NullMarked
package dev.timestamp.clock;

import org.jspecify.annotations.NullMarked;
