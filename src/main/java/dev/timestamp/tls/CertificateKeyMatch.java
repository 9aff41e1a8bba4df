package dev.timestamp.tls;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * Whether a bundle's private key belongs to the certificate it is served with (the first
 * of its chain), checked by signing with one and verifying with the other. Neither Spring
 * Boot (unless {@code verify-keys} is set) nor the TLS engine checks it: a server with
 * another key starts, reports itself ready and fails every handshake.
 */
final class CertificateKeyMatch {

	private CertificateKeyMatch() {
	}

	/**
	 * Throws when the bundle's key store (the bundle's alias only, if it names one) holds
	 * no private key with a certificate, or one that does not belong to its certificate.
	 * Without one, too, the server would start and fail every handshake.
	 * @return the certificate served (of the first key, if the store holds several)
	 */
	static Certificate check(SslBundle bundle) {
		KeyStore store = bundle.getStores().getKeyStore();
		String alias = bundle.getKey().getAlias();
		List<Certificate> checked = (store != null) ? checkKeyEntries(store, alias, password(bundle)) : List.of();
		if (checked.isEmpty()) {
			throw new IllegalStateException("it holds no private key with its certificate"
					+ ((alias != null) ? " under the alias '" + alias + "'" : "")
					+ ": set its keystore (for PEM files, keystore.certificate and keystore.private-key)");
		}
		return checked.get(0);
	}

	/** The certificates of the store's private keys, each key checked against its own. */
	private static List<Certificate> checkKeyEntries(KeyStore store, @Nullable String alias,
			char @Nullable [] password) {
		List<Certificate> checked = new ArrayList<>();
		try {
			for (String name : Collections.list(store.aliases())) {
				Certificate[] chain = store.getCertificateChain(name);
				if ((alias == null || alias.equals(name)) && store.isKeyEntry(name)
						&& check(store.getKey(name, password), chain)) {
					checked.add(chain[0]);
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the key store cannot be read: " + ex.getMessage(), ex);
		}
		return checked;
	}

	/** The password the bundle's key manager factory is made with. */
	private static char @Nullable [] password(SslBundle bundle) {
		String password = (bundle.getKey().getPassword() != null) ? bundle.getKey().getPassword()
				: bundle.getStores().getKeyStorePassword();
		return (password != null) ? password.toCharArray() : null;
	}

	/** Whether the entry is a private key with a certificate, which then must be its. */
	private static boolean check(Key key, Certificate @Nullable [] chain) throws GeneralSecurityException {
		if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
			return false;
		}
		String algorithm = signatureAlgorithm(privateKey);
		if (algorithm != null && !signs(algorithm, privateKey, chain[0].getPublicKey())) {
			String subject = (chain[0] instanceof X509Certificate x509) ? x509.getSubjectX500Principal().getName()
					: "of the chain";
			throw new IllegalStateException("the private key does not belong to the certificate " + subject
					+ " (the first of its chain): every handshake would fail");
		}
		return true;
	}

	/** The algorithms a TLS server key has; another (RSASSA-PSS) is not checked. */
	private static @Nullable String signatureAlgorithm(PrivateKey key) {
		return switch (key.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC" -> "SHA256withECDSA";
			case "DSA" -> "SHA256withDSA";
			case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
			default -> null;
		};
	}

	private static boolean signs(String algorithm, PrivateKey privateKey, PublicKey publicKey)
			throws GeneralSecurityException {
		byte[] challenge = new byte[32];
		new SecureRandom().nextBytes(challenge);
		Signature signer = Signature.getInstance(algorithm);
		signer.initSign(privateKey);
		signer.update(challenge);
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance(algorithm);
		try {
			verifier.initVerify(publicKey);
			verifier.update(challenge);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			// A public key of another type or curve (an RSA certificate with an EC key).
			return false;
		}
	}

}
