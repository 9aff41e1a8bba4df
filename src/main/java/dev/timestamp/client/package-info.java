/**
 * The interactive TCP and UDP clients ({@code client tcp|udp}), as the original tutorial
 * ships them, made scriptable.
 */
@NullMarked
package dev.timestamp.client;

import org.jspecify.annotations.NullMarked;
