/**
 * How the flows' request messages are made: the headers both transports use.
 */
@NullMarked
package dev.timestamp.messaging;

import org.jspecify.annotations.NullMarked;
