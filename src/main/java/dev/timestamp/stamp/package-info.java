/**
 * Building replies: pure functions of a request's bytes and the clock. Nothing here knows
 * about sockets.
 */
@NullMarked
package dev.timestamp.stamp;

import org.jspecify.annotations.NullMarked;
