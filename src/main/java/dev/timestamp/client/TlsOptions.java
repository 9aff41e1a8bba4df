package dev.timestamp.client;

import java.nio.file.Path;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tls}, {@code --ca}, {@code --insecure}, {@code --cert} and {@code --key}: talk
 * to the TLS listener, verifying its certificate against a CA file (or the JDK's trusted
 * authorities), and present a client certificate for mutual TLS.
 */
public class TlsOptions {

	@Option(names = "--tls", description = "TCP: connect with TLS (the server's timestamp.tls.port, 21568).")
	boolean enabled;

	@Option(names = "--ca", paramLabel = "FILE",
			description = "TLS: PEM file of the authorities that signed the server's certificate (default: the JDK's).")
	@Nullable Path ca;

	@Option(names = "--insecure", description = "TLS: accept any server certificate (for tests only).")
	boolean insecure;

	@Option(names = "--cert", paramLabel = "FILE", description = "TLS: PEM client certificate, for mutual TLS.")
	@Nullable Path certificate;

	@Option(names = "--key", paramLabel = "FILE", description = "TLS: PEM private key (PKCS#8) of --cert.")
	@Nullable Path key;

	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * Whether the server's name must match its certificate (unless {@code --insecure}).
	 */
	public boolean verifiesHost() {
		return !this.insecure;
	}

	/** A problem with the options, or {@code null}. */
	public @Nullable String problem() {
		if (!this.enabled && (this.ca != null || this.insecure || this.certificate != null || this.key != null)) {
			return "--ca, --insecure, --cert and --key need --tls";
		}
		if ((this.certificate == null) != (this.key == null)) {
			return "--cert and --key go together";
		}
		if (this.insecure && this.ca != null) {
			return "--insecure and --ca exclude each other";
		}
		return null;
	}

	/** A client context on the given engine, TLS 1.3 and 1.2 only. */
	public SslContext context(SslProvider provider) throws SSLException {
		SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider).protocols("TLSv1.3", "TLSv1.2");
		if (this.insecure) {
			builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
		}
		else if (this.ca != null) {
			builder.trustManager(this.ca.toFile());
		}
		if (this.certificate != null && this.key != null) {
			builder.keyManager(this.certificate.toFile(), this.key.toFile());
		}
		return builder.build();
	}

	/** The JDK's {@code SSLContext} for blocking sockets. */
	public javax.net.ssl.SSLContext jdkContext() throws SSLException {
		return ((JdkSslContext) context(SslProvider.JDK)).context();
	}

}
