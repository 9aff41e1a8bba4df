/**
 * What stops a start-up, in one place: the checks that run before any listener opens
 * (unknown {@code TIMESTAMP_*} environment variables, the HTTP ports, the SSL bundles)
 * and the failure analyzers that turn an invalid setting, a taken port or an unusable TLS
 * bundle into a message naming the setting, instead of a stack trace. Where Spring Boot
 * already reports a failure well (a property that does not convert, for example), it is
 * left to Spring Boot.
 */
@NullMarked
package dev.timestamp.startup;

import org.jspecify.annotations.NullMarked;
