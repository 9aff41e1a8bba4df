package dev.timestamp.tls;

import java.nio.file.Path;

import dev.timestamp.support.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The check that a bundle's key is its certificate's, for each kind of key a server
 * certificate has, with keys and certificates made by {@code openssl}.
 */
class CertificateKeyMatchTests {

	@TempDir
	Path dir;

	@Test
	void acceptsTheKeyOfTheCertificateForRsaEcAndEd25519() {
		Path[] rsa = TestCertificates.selfSigned(this.dir, "rsa", "rsa:2048");
		Path[] ec = TestCertificates.selfSigned(this.dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
		Path[] ed25519 = TestCertificates.selfSigned(this.dir, "ed25519", "ed25519");
		for (Path[] pair : new Path[][] { rsa, ec, ed25519 }) {
			assertThatNoException().as(pair[0].toString())
				.isThrownBy(() -> CertificateKeyMatch.check(bundle(pair[0], pair[1])));
		}
	}

	@Test
	void refusesAnotherKeyOfTheSameKind() {
		Path[] one = TestCertificates.selfSigned(this.dir, "one", "rsa:2048");
		Path[] other = TestCertificates.selfSigned(this.dir, "other", "rsa:2048");
		assertThatIllegalStateException().isThrownBy(() -> CertificateKeyMatch.check(bundle(one[0], other[1])))
			.withMessageContaining("private key does not belong to the certificate CN=one");
	}

	@Test
	void refusesAKeyOfAnotherTypeOrCurve() {
		Path[] rsa = TestCertificates.selfSigned(this.dir, "rsa", "rsa:2048");
		Path[] p256 = TestCertificates.selfSigned(this.dir, "p256", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
		Path[] p384 = TestCertificates.selfSigned(this.dir, "p384", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
		assertThatIllegalStateException().isThrownBy(() -> CertificateKeyMatch.check(bundle(rsa[0], p256[1])));
		assertThatIllegalStateException().isThrownBy(() -> CertificateKeyMatch.check(bundle(p256[0], rsa[1])));
		assertThatIllegalStateException().isThrownBy(() -> CertificateKeyMatch.check(bundle(p256[0], p384[1])));
	}

	private static SslBundle bundle(Path certificate, Path key) {
		return SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate("file:" + certificate).withPrivateKey("file:" + key), null));
	}

}
