package dev.timestamp.tls;

import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLException;

import dev.timestamp.support.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The in-memory handshake that tells a server context no client can use from one that
 * works, on both TLS engines the listener can run.
 */
class SelfHandshakeTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(names = { "OPENSSL", "JDK" })
	void completesWithRsaAndEcCertificates(SslProvider provider) throws SSLException {
		Path[] rsa = TestCertificates.selfSigned(this.dir, "rsa", "rsa:2048");
		Path[] ec = TestCertificates.selfSigned(this.dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
		for (Path[] pair : new Path[][] { rsa, ec }) {
			SslContext server = server(pair, provider).build();
			assertThatNoException().as(pair[0].toString()).isThrownBy(() -> SelfHandshake.check(server, provider));
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "OPENSSL", "JDK" })
	void completesOnTls12WithSuitesForTheKey(SslProvider provider) throws SSLException {
		Path[] ec = TestCertificates.selfSigned(this.dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
		SslContext server = server(ec, provider).protocols("TLSv1.2")
			.ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
			.build();
		assertThatNoException().isThrownBy(() -> SelfHandshake.check(server, provider));
	}

	@ParameterizedTest
	@EnumSource(names = { "OPENSSL", "JDK" })
	void failsOnTls12WhenNoSuiteGoesWithTheKey(SslProvider provider) throws SSLException {
		Path[] rsa = TestCertificates.selfSigned(this.dir, "rsa", "rsa:2048");
		Path[] ec = TestCertificates.selfSigned(this.dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
		SslContext rsaWithEcdsaSuites = server(rsa, provider).protocols("TLSv1.2")
			.ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
			.build();
		SslContext ecWithRsaSuites = server(ec, provider).protocols("TLSv1.2")
			.ciphers(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
			.build();
		assertThatExceptionOfType(SSLException.class)
			.isThrownBy(() -> SelfHandshake.check(rsaWithEcdsaSuites, provider));
		assertThatExceptionOfType(SSLException.class).isThrownBy(() -> SelfHandshake.check(ecWithRsaSuites, provider));
	}

	private static SslContextBuilder server(Path[] certificateAndKey, SslProvider provider) {
		return SslContextBuilder.forServer(certificateAndKey[0].toFile(), certificateAndKey[1].toFile())
			.sslProvider(provider);
	}

}
