/**
 * The service's one typed configuration class, {@code timestamp.*}.
 */
@NullMarked
package dev.timestamp.config;

import org.jspecify.annotations.NullMarked;
