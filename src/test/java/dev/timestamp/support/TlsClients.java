package dev.timestamp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * TLS clients on real sockets for the tests: the JDK's own TLS, trusting the test CA and,
 * for mutual TLS, presenting the test client certificate.
 */
public final class TlsClients {

	private TlsClients() {
	}

	/** Trusts the test CA; presents the client certificate when asked to. */
	public static SSLContext context(TestCertificates certificates, boolean clientCertificate) {
		PemSslStoreDetails trust = PemSslStoreDetails.forCertificate("file:" + certificates.ca());
		PemSslStoreDetails key = clientCertificate
				? PemSslStoreDetails.forCertificate("file:" + certificates.clientCertificate())
					.withPrivateKey("file:" + certificates.clientKey())
				: null;
		return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext();
	}

	/**
	 * Connects, completes the handshake (limited to {@code protocols} when given) and
	 * verifies the server's name.
	 */
	public static TcpTestClient connect(int port, SSLContext context, String... protocols) {
		try {
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			if (protocols.length > 0) {
				socket.setEnabledProtocols(protocols);
			}
			var parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return new TcpTestClient(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The subject of the certificate the server presented on this connection. */
	public static String serverSubject(TcpTestClient client) {
		try {
			return ((X509Certificate) ((SSLSocket) client.socket()).getSession().getPeerCertificates()[0])
				.getSubjectX500Principal()
				.getName();
		}
		catch (SSLPeerUnverifiedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
