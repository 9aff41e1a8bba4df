package dev.timestamp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made at run time with Debian's {@code openssl} (no private key is
 * committed): a CA, a server certificate for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1} signed by it, and a client certificate for mutual TLS.
 *
 * @param openssl the {@code openssl} program
 * @param dir where the keys and certificates are written
 */
public record TestCertificates(Path openssl, Path dir) {

	/** Makes a CA, a server and a client certificate in {@code dir}. */
	public static TestCertificates create(Path dir) {
		TestCertificates certificates = new TestCertificates(Installed.program("openssl", "openssl"), dir);
		certificates.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
				"-subj", "/CN=timestamp test CA", "-keyout", certificates.file("ca.key"), "-out",
				certificates.file("ca.crt"));
		certificates.issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
		certificates.issue("client", "timestamp test client", "extendedKeyUsage=clientAuth");
		return certificates;
	}

	/**
	 * A self-signed certificate for {@code CN=<name>} and its key, made with
	 * {@code openssl req -newkey <newKey...>}: {@code name.crt} and {@code name.key} in
	 * {@code dir}.
	 */
	public static Path[] selfSigned(Path dir, String name, String... newKey) {
		TestCertificates certificates = new TestCertificates(Installed.program("openssl", "openssl"), dir);
		List<String> args = new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=" + name,
				"-keyout", certificates.file(name + ".key"), "-out", certificates.file(name + ".crt"), "-newkey"));
		args.addAll(List.of(newKey));
		certificates.run(args.toArray(String[]::new));
		return new Path[] { dir.resolve(name + ".crt"), dir.resolve(name + ".key") };
	}

	/**
	 * Replaces the server certificate and key on disk with a new pair whose subject is
	 * {@code commonName}, as cert-manager renewing a Secret would (each file replaced at
	 * once).
	 */
	public void renewServer(String commonName) {
		renewServer(commonName, 2);
	}

	/**
	 * As {@link #renewServer(String)}, valid for {@code days} from now; -1 makes a
	 * certificate that expired a day ago.
	 */
	public void renewServer(String commonName, int days) {
		issue("renewed", commonName, "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", days);
		try {
			Files.move(this.dir.resolve("renewed.key"), this.dir.resolve("server.key"),
					StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			Files.move(this.dir.resolve("renewed.crt"), this.dir.resolve("server.crt"),
					StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Writes a new server certificate for {@code commonName} as {@code tls.crt} and
	 * {@code tls.key} into {@code target}, the names of a {@code kubernetes.io/tls}
	 * Secret.
	 */
	public void issueServerInto(Path target, String commonName) {
		issue("issued", commonName, "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
		try {
			Files.createDirectories(target);
			Files.move(this.dir.resolve("issued.key"), target.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
			Files.move(this.dir.resolve("issued.crt"), target.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void issue(String name, String commonName, String extension) {
		issue(name, commonName, extension, 2);
	}

	private void issue(String name, String commonName, String extension, int days) {
		run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + commonName,
				"-keyout", file(name + ".key"), "-out", file(name + ".csr"));
		try {
			Files.writeString(this.dir.resolve(name + ".ext"), extension + "\n");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		run("x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
				"-CAcreateserial", "-days", Integer.toString(days), "-extfile", file(name + ".ext"), "-out",
				file(name + ".crt"));
	}

	public Path ca() {
		return this.dir.resolve("ca.crt");
	}

	public Path serverCertificate() {
		return this.dir.resolve("server.crt");
	}

	public Path serverKey() {
		return this.dir.resolve("server.key");
	}

	public Path clientCertificate() {
		return this.dir.resolve("client.crt");
	}

	public Path clientKey() {
		return this.dir.resolve("client.key");
	}

	/**
	 * Server arguments for a TLS listener on a free port with these files as the PEM
	 * bundle {@code test}, trusting the CA for client certificates.
	 */
	public List<String> serverArguments(String... more) {
		List<String> args = new ArrayList<>(
				List.of("--timestamp.tls.enabled=true", "--timestamp.tls.port=0", "--timestamp.tls.bundle=test",
						"--spring.ssl.bundle.pem.test.keystore.certificate=file:" + serverCertificate(),
						"--spring.ssl.bundle.pem.test.keystore.private-key=file:" + serverKey(),
						"--spring.ssl.bundle.pem.test.truststore.certificate=file:" + ca()));
		args.addAll(List.of(more));
		return args;
	}

	private String file(String name) {
		return this.dir.resolve(name).toString();
	}

	private void run(String... args) {
		List<String> command = new ArrayList<>();
		command.add(this.openssl.toString());
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
