/**
 * The service's own meters, pre-registered at start-up and recorded on the hot path by
 * the transports. Imports nothing from them.
 */
@NullMarked
package dev.timestamp.metrics;

import org.jspecify.annotations.NullMarked;
