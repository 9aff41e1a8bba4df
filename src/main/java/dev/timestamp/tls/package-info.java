/**
 * The TLS listener: the TCP protocol on its own port, encrypted with a certificate from a
 * Spring Boot SSL bundle that is reloaded when it changes on disk.
 */
@NullMarked
package dev.timestamp.tls;

import org.jspecify.annotations.NullMarked;
