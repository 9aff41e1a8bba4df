/**
 * The Netty event loops both transports run on.
 */
@NullMarked
package dev.timestamp.netty;

import org.jspecify.annotations.NullMarked;
