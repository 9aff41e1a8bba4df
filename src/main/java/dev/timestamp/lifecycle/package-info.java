/**
 * Start-up and shutdown order across the transports.
 */
@NullMarked
package dev.timestamp.lifecycle;

import org.jspecify.annotations.NullMarked;
