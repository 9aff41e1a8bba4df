package dev.timestamp.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the TLS listener's certificate reloads did, and when the certificate it serves
 * expires. Spring Boot's {@code ssl} meters describe the bundle's files, which after a
 * rejected renewal are not what is served: without these, a rejected renewal is a log
 * line until the certificate in use runs out.
 */
final class CertificateMeters {

	private final Counter applied;

	private final Counter rejected;

	private volatile Instant notAfter = Instant.MAX;

	CertificateMeters(MeterRegistry registry) {
		this.applied = reloads(registry, "applied");
		this.rejected = reloads(registry, "rejected");
		Gauge.builder("timestamp.tls.certificate.expiry", this, CertificateMeters::secondsLeft)
			.description("Time until the certificate the TLS listener serves expires (negative once it has)")
			.baseUnit("seconds")
			.register(registry);
	}

	private static Counter reloads(MeterRegistry registry, String outcome) {
		return Counter.builder("timestamp.tls.certificate.reloads")
			.description("Reloads of the TLS listener's SSL bundle: applied, or rejected (the certificate in use"
					+ " is kept)")
			.tag("outcome", outcome)
			.register(registry);
	}

	/** The certificate the listener now serves, from its start or a reload. */
	void serving(Certificate certificate) {
		this.notAfter = (certificate instanceof X509Certificate x509) ? x509.getNotAfter().toInstant() : Instant.MAX;
	}

	void applied() {
		this.applied.increment();
	}

	void rejected() {
		this.rejected.increment();
	}

	private double secondsLeft() {
		Instant notAfter = this.notAfter;
		return (notAfter == Instant.MAX) ? Double.NaN : Duration.between(Instant.now(), notAfter).toSeconds();
	}

}
