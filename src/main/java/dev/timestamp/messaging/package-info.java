/**
 * How the flows' messages are made: ids and the request headers both transports use.
 */
@NullMarked
package dev.timestamp.messaging;

import org.jspecify.annotations.NullMarked;
