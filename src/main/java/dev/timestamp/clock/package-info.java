/**
 * The clock the timestamps come from, and whether it can be trusted: the kernel's view of
 * it ({@code adjtimex}, as gauges), the NTP measurement, the {@code clock} health
 * component and its opt-in readiness gate; and the internet's own time protocols, RFC 868
 * Time and RFC 867 Daytime, served from the same clock, format and zone by small Netty
 * listeners on the shared event loops.
 */
@NullMarked
package dev.timestamp.clock;

import org.jspecify.annotations.NullMarked;
