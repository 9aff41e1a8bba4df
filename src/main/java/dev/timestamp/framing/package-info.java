/**
 * How requests and replies are delimited on a TCP byte stream. Shared by the server and
 * the clients; knows Netty's {@code ByteBuf} and nothing else.
 */
@NullMarked
package dev.timestamp.framing;

import org.jspecify.annotations.NullMarked;
