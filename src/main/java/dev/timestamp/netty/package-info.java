/**
 * The Netty event loops both transports run on, and the file descriptors they share.
 */
@NullMarked
package dev.timestamp.netty;

import org.jspecify.annotations.NullMarked;
