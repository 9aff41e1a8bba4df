package dev.timestamp.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import dev.timestamp.config.TlsClientAuth;
import dev.timestamp.startup.TlsBundleException;
import dev.timestamp.tcp.tls.TlsTermination;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * TLS from a Spring Boot SSL bundle, as Spring Boot's own Netty server builds it: the
 * bundle's key and trust managers, its protocols and ciphers narrowed to TLS 1.3 and 1.2.
 * When the bundle is reloaded ({@code reload-on-update}), new connections get the new
 * certificate; open ones keep the session they have. A certificate is taken, at start-up
 * or on a reload, only if its key is its own and a handshake with it completes.
 */
final class BundleTlsTermination implements TlsTermination {

	private static final Log logger = LogFactory.getLog("dev.timestamp.tls");

	/** What the listener speaks at most; a bundle can narrow it further. */
	static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	private final String bundleName;

	private final ClientAuth clientAuth;

	private final Duration handshakeTimeout;

	private final SslProvider provider;

	private final CertificateMeters meters;

	private volatile SslContext context;

	BundleTlsTermination(SslBundles bundles, String bundleName, TlsClientAuth clientAuth, Duration handshakeTimeout,
			SslProvider provider, CertificateMeters meters) {
		this.bundleName = bundleName;
		this.meters = meters;
		this.clientAuth = switch (clientAuth) {
			case NONE -> ClientAuth.NONE;
			case WANT -> ClientAuth.OPTIONAL;
			case NEED -> ClientAuth.REQUIRE;
		};
		this.handshakeTimeout = handshakeTimeout;
		this.provider = provider;
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException("timestamp.tls.bundle", bundleName,
					"No SSL bundle has that name. Define it with spring.ssl.bundle.pem." + bundleName
							+ ".* (PEM files) or spring.ssl.bundle.jks." + bundleName + ".* (a key store).");
		}
		try {
			serve(bundle, false);
		}
		catch (InvalidConfigurationPropertyValueException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new TlsBundleException(bundleName, ex);
		}
		bundles.addBundleUpdateHandler(bundleName, this::reloaded);
	}

	private void reloaded(SslBundle bundle) {
		try {
			// A renewal, unlike the certificate the server starts with, must be valid
			// now: one that is not would replace a working certificate with a broken one.
			serve(bundle, true);
			this.meters.applied();
			logger.info("TLS certificate reloaded from SSL bundle '" + this.bundleName
					+ "': new connections use it, open ones keep theirs");
		}
		catch (RuntimeException ex) {
			this.meters.rejected();
			logger.error("TLS certificate from SSL bundle '" + this.bundleName
					+ "' could not be used; connections keep the previous one: " + TlsBundleException.reasons(ex));
		}
	}

	/** Serves the bundle's certificate to new connections, if it passes the checks. */
	private void serve(SslBundle bundle, boolean validNow) {
		Served served = build(bundle, validNow);
		this.context = served.context();
		this.meters.serving(served.certificate());
	}

	private Served build(SslBundle bundle, boolean validNow) {
		if (this.clientAuth != ClientAuth.NONE && bundle.getStores().getTrustStore() == null) {
			// Spring Boot would check them against the JDK's own authorities, and so let
			// in a client certificate from any public one.
			throw new InvalidConfigurationPropertyValueException("timestamp.tls.client-auth",
					(this.clientAuth == ClientAuth.REQUIRE) ? "need" : "want",
					"Client certificates are checked against the bundle's trust material, and SSL bundle '"
							+ this.bundleName + "' has none. Set spring.ssl.bundle.pem." + this.bundleName
							+ ".truststore.certificate (or spring.ssl.bundle.jks." + this.bundleName
							+ ".truststore.*) to the authorities that sign the clients' certificates.");
		}
		SslOptions options = bundle.getOptions();
		KeyManagerFactory keys = bundle.getManagers().getKeyManagerFactory();
		Certificate certificate = CertificateKeyMatch.check(bundle);
		if (validNow && certificate instanceof X509Certificate x509) {
			try {
				x509.checkValidity();
			}
			catch (CertificateException ex) {
				throw new IllegalStateException("its certificate is not valid now (" + ex.getMessage() + "), valid "
						+ x509.getNotBefore().toInstant() + " to " + x509.getNotAfter().toInstant(), ex);
			}
		}
		if (this.provider == SslProvider.OPENSSL) {
			// Otherwise the key and chain are converted for BoringSSL on every handshake.
			keys = new OpenSslCachingX509KeyManagerFactory(keys);
		}
		SslContextBuilder builder = SslContextBuilder.forServer(keys)
			.trustManager(bundle.getManagers().getTrustManagerFactory())
			.sslProvider(this.provider)
			.protocols(protocols(options.getEnabledProtocols()))
			.clientAuth(this.clientAuth);
		if (options.getCiphers() != null) {
			builder.ciphers(SslOptions.asSet(options.getCiphers()));
		}
		SslContext context;
		try {
			context = builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		checkHandshake(context, builder);
		return new Served(context, certificate);
	}

	/**
	 * A handshake in memory with the new context (one without client certificates when
	 * they are required: the check has none to give), so that a bundle whose cipher
	 * suites and protocols leave no handshake possible is refused instead of served.
	 */
	private void checkHandshake(SslContext context, SslContextBuilder builder) {
		SslContext probe = context;
		try {
			if (this.clientAuth == ClientAuth.REQUIRE) {
				probe = builder.clientAuth(ClientAuth.NONE).build();
			}
			SelfHandshake.check(probe, this.provider);
		}
		catch (SSLException ex) {
			throw new IllegalStateException("no TLS client can complete a handshake with it (" + ex.getMessage()
					+ "): check that its options.ciphers include suites for the key's type (ECDSA suites for an EC"
					+ " or EdDSA key, RSA suites for an RSA key) and for each of its options.enabled-protocols", ex);
		}
		finally {
			if (probe != context) {
				ReferenceCountUtil.release(probe);
			}
		}
	}

	/**
	 * The bundle's protocols that are TLS 1.2 or 1.3; all of those when it names none.
	 */
	private List<String> protocols(String[] enabled) {
		if (enabled == null) {
			return PROTOCOLS;
		}
		List<String> allowed = new ArrayList<>();
		for (String protocol : enabled) {
			if (PROTOCOLS.contains(protocol)) {
				allowed.add(protocol);
			}
		}
		if (allowed.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(
					"spring.ssl.bundle.*." + this.bundleName + ".options.enabled-protocols", String.join(",", enabled),
					"The TLS listener speaks TLSv1.3 and TLSv1.2 only.");
		}
		return allowed;
	}

	@Override
	public SslHandler newHandler(ByteBufAllocator allocator) {
		// newEngine, not newHandler: an engine that decrypts one record per call (Netty's
		// JDK-compatible mode), which TlsRecordReplies needs.
		return new SslHandler(this.context.newEngine(allocator));
	}

	@Override
	public Duration handshakeTimeout() {
		return this.handshakeTimeout;
	}

	/** A context and the certificate it serves. */
	private record Served(SslContext context, Certificate certificate) {
	}

}
