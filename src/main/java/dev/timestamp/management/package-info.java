/**
 * The HTTP port of the actuator (health probes, metrics), bounded as the timestamp port
 * is.
 */
@NullMarked
package dev.timestamp.management;

import org.jspecify.annotations.NullMarked;
