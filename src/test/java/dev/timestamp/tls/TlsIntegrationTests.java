package dev.timestamp.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.CliRun;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.Installed;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SlowReadingClient;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.TestCertificates;
import dev.timestamp.support.TlsClients;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The TLS listener over real sockets, with certificates made for the run by
 * {@code openssl}: verified handshakes, refused protocol versions and plaintext, mutual
 * TLS, a certificate replaced on disk, and the plain listener beside it.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class TlsIntegrationTests {

	@TempDir
	static Path certificatesDir;

	static TestCertificates certificates;

	@BeforeAll
	static void makeCertificates() {
		certificates = TestCertificates.create(certificatesDir);
	}

	@Test
	void answersOverAVerifiedTlsConnectionBesideThePlainListener() {
		try (RunningServer server = RunningServer.start(args());
				TcpTestClient tls = TlsClients.connect(server.tlsPort(), TlsClients.context(certificates, false));
				TcpTestClient plain = server.connect()) {
			tls.send("secret\n");
			assertStamped(tls.readCrlfLine(), "secret");
			plain.send("open\n");
			assertStamped(plain.readCrlfLine(), "open");
			assertThat(server.scrape().value("timestamp_tls_handshakes_total", "outcome", "ok")).isEqualTo(1);
			assertThat(server.scrape().value("timestamp_requests_total", "transport", "tls", "outcome", "ok"))
				.isEqualTo(1);
		}
	}

	@Test
	void takesThePodOutOfReadinessWhenTheTlsListenerStops() {
		try (RunningServer server = RunningServer.start(args())) {
			HttpResult ready = server.get("/actuator/health/readiness");
			assertThat(ready.status()).isEqualTo(200);
			assertThat(ready.<Map<String, Object>>json("$.components")).containsOnlyKeys("readinessState", "tcp", "tls",
					"udp");
			server.context().getBean("tlsConnectionFactory", NettyTcpServerConnectionFactory.class).stop();
			HttpResult notReady = server.get("/actuator/health/readiness");
			assertThat(notReady.status()).isEqualTo(503);
			assertThat(notReady.<String>json("$.components.tls.status")).isEqualTo("DOWN");
		}
	}

	@Test
	void speaksTls12AndTls13() {
		try (RunningServer server = RunningServer.start(args())) {
			for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
				try (TcpTestClient client = TlsClients.connect(server.tlsPort(),
						TlsClients.context(certificates, false), protocol)) {
					client.send(protocol + "\n");
					assertStamped(client.readCrlfLine(), protocol);
				}
			}
		}
	}

	@Test
	void refusesTls11FromARealOpensslClient() throws Exception {
		Path openssl = Installed.program("openssl", "openssl");
		try (RunningServer server = RunningServer.start(args())) {
			// SECLEVEL=0 lets this openssl offer TLS 1.1 at all: the refusal is the
			// server's.
			Process client = new ProcessBuilder(openssl.toString(), "s_client", "-connect",
					"127.0.0.1:" + server.tlsPort(), "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
				.redirectErrorStream(true)
				.start();
			client.getOutputStream().close();
			String output = new String(client.getInputStream().readAllBytes());
			assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(client.exitValue()).as(output).isNotZero();
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tls_handshakes_total", "outcome", "protocol") == 1);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "-tls1_2", "-tls1_3" })
	void endsAConnectionWithCloseNotifySoTheClientKnowsNothingWasCut(String protocol, CapturedOutput output)
			throws Exception {
		Path openssl = Installed.program("openssl", "openssl");
		try (RunningServer server = RunningServer.start(args("--timestamp.tcp.idle-timeout=500ms"))) {
			// The client's input stays open: the idle timeout is what ends the
			// connection, from the server's side.
			Process client = new ProcessBuilder(openssl.toString(), "s_client", "-connect",
					"127.0.0.1:" + server.tlsPort(), protocol, "-quiet", "-CAfile", certificates.ca().toString())
				.redirectErrorStream(true)
				.start();
			client.getOutputStream().write("last\n".getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
			String transcript = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			// Without a close_notify before the FIN, OpenSSL reports "unexpected eof
			// while reading" and exits with 1: a truncation, as far as it can tell.
			assertThat(transcript).contains("] last\r\n").doesNotContain("unexpected eof");
			assertThat(client.exitValue()).as(transcript).isZero();
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tls_connections_closed_total", "reason", "idle") == 1);
			client.getOutputStream().close();
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void countsARefusedRenegotiationAsATlsError(CapturedOutput output) throws Exception {
		Path openssl = Installed.program("openssl", "openssl");
		try (RunningServer server = RunningServer.start(args())) {
			// s_client renegotiates on a line "R" (TLS 1.2; not with -quiet).
			Process client = new ProcessBuilder(openssl.toString(), "s_client", "-connect",
					"127.0.0.1:" + server.tlsPort(), "-tls1_2", "-CAfile", certificates.ca().toString())
				.redirectErrorStream(true)
				.start();
			BufferedReader transcript = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
			client.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			String line;
			while ((line = transcript.readLine()) != null && !line.endsWith("] first")) {
				// the handshake's report
			}
			assertThat(line).as("the reply to the first request").isNotNull();
			// A line of its own, in a read of its own: s_client's command to renegotiate.
			client.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(transcript.lines()).contains("RENEGOTIATING");
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_tls_connections_closed_total", "reason", "tls_error") == 1);
			assertThat(server.scrape().value("timestamp_tls_connections_closed_total", "reason", "client")).isZero();
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void countsARecordWithABadMacAsATlsError(CapturedOutput output) throws Exception {
		try (RunningServer server = RunningServer.start(args())) {
			SSLEngine client = TlsClients.context(certificates, false).createSSLEngine("localhost", server.tlsPort());
			client.setUseClientMode(true);
			try (Socket socket = new Socket("127.0.0.1", server.tlsPort())) {
				socket.setSoTimeout(10_000);
				ByteBuffer fromServer = handshake(client, socket);
				ByteBuffer record = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
				client.wrap(ByteBuffer.wrap("tampered\n".getBytes(StandardCharsets.US_ASCII)), record);
				// The last byte is the record's authentication tag's.
				record.put(record.position() - 1, (byte) (record.get(record.position() - 1) ^ 1));
				socket.getOutputStream().write(record.array(), 0, record.position());
				// As a TLS client does, the alert read ends the connection.
				assertThatExceptionOfType(SSLException.class)
					.isThrownBy(() -> readUntilAnAlert(client, socket, fromServer))
					.withMessageContaining("bad_record_mac");
			}
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_tls_connections_closed_total", "reason", "tls_error") == 1);
			assertThat(server.scrape().value("timestamp_tls_connections_closed_total", "reason", "client")).isZero();
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("ERROR");
	}

	/** Decrypts what the server sends (its session tickets) until the engine throws. */
	private static void readUntilAnAlert(SSLEngine engine, Socket socket, ByteBuffer in) throws IOException {
		ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
		while (true) {
			in.flip();
			SSLEngineResult result = engine.unwrap(in, plain);
			in.compact();
			if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !readMore(socket, in)) {
				throw new IOException("the server closed without an alert");
			}
		}
	}

	private static boolean readMore(Socket socket, ByteBuffer in) throws IOException {
		int read = socket.getInputStream().read(in.array(), in.position(), in.remaining());
		if (read > 0) {
			in.position(in.position() + read);
		}
		return read >= 0;
	}

	/**
	 * A client handshake over a plain socket, record by record; returns what was read and
	 * not yet decrypted.
	 */
	private static ByteBuffer handshake(SSLEngine engine, Socket socket) throws IOException {
		ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		ByteBuffer in = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
		engine.beginHandshake();
		SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
		while (status != SSLEngineResult.HandshakeStatus.FINISHED
				&& status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
			switch (status) {
				case NEED_WRAP -> {
					out.clear();
					status = engine.wrap(ByteBuffer.allocate(0), out).getHandshakeStatus();
					socket.getOutputStream().write(out.array(), 0, out.position());
				}
				case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
					in.flip();
					SSLEngineResult result = engine.unwrap(in, plain);
					in.compact();
					status = result.getHandshakeStatus();
					if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !readMore(socket, in)) {
						throw new IOException("the server closed during the handshake");
					}
				}
				case NEED_TASK -> {
					Runnable task;
					while ((task = engine.getDelegatedTask()) != null) {
						task.run();
					}
					status = engine.getHandshakeStatus();
				}
				default -> throw new IllegalStateException(status.toString());
			}
		}
		return in;
	}

	@Test
	void answersEveryRequestOfAClientThatHalfClosesWithCloseNotify() throws IOException {
		try (RunningServer server = RunningServer.start(args());
				TcpTestClient client = TlsClients.connect(server.tlsPort(), TlsClients.context(certificates, false),
						"TLSv1.3")) {
			client.send("one\ntwo\n");
			// TLS 1.3's half-close: the JDK sends close_notify and keeps reading, as a
			// plain TCP client keeps reading after its FIN.
			client.socket().shutdownOutput();
			assertStamped(client.readCrlfLine(), "one");
			assertStamped(client.readCrlfLine(), "two");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void answersAnUnterminatedLastRequestBeforeCloseNotifyAsPlainTcpDoesBeforeAFin() throws IOException {
		// TLS 1.2 only: over TLS 1.3 the alert's type is encrypted, and BoringSSL sends
		// nothing more once it has decrypted a close_notify (docs/tls.md).
		try (RunningServer server = RunningServer.start(args());
				TcpTestClient client = TlsClients.connect(server.tlsPort(), TlsClients.context(certificates, false),
						"TLSv1.2")) {
			client.send("a\nb\nlast-unterminated");
			// close_notify, and the client keeps reading
			client.socket().shutdownOutput();
			assertStamped(client.readCrlfLine(), "a");
			assertStamped(client.readCrlfLine(), "b");
			assertStamped(client.readCrlfLine(), "last-unterminated");
			assertThat(client.isClosedByServer()).isTrue();
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_requests_total", "transport", "tls", "outcome", "ok") == 3);
		}
	}

	@Test
	void answersAnUnterminatedLastRequestBeforeATls13CloseNotifyWithTheJdkEngine() throws IOException {
		try (RunningServer server = RunningServer.start(args("--timestamp.tls.engine=jdk"))) {
			assertThat(server.get("/actuator/info").<String>json("$.tls.engine")).isEqualTo("jdk");
			String[] replies = sendThenTls13CloseNotifyWithoutFin(server, "a\nb\nlast-unterminated");
			assertThat(replies).hasSize(3);
			assertStamped(replies[0].getBytes(StandardCharsets.US_ASCII), "a");
			assertStamped(replies[1].getBytes(StandardCharsets.US_ASCII), "b");
			assertStamped(replies[2].getBytes(StandardCharsets.US_ASCII), "last-unterminated");
		}
	}

	@Test
	void countsAnUnterminatedLastRequestBeforeATls13CloseNotifyThatBoringSslCannotAnswer() throws IOException {
		try (RunningServer server = RunningServer.start(args())) {
			assertThat(server.get("/actuator/info").<String>json("$.tls.engine")).isEqualTo("openssl");
			String[] replies = sendThenTls13CloseNotifyWithoutFin(server, "a\nb\nlast-unterminated");
			assertThat(replies).hasSize(2);
			assertStamped(replies[1].getBytes(StandardCharsets.US_ASCII), "b");
			Awaitility.await()
				.until(() -> server.scrape()
					.value("timestamp_tls_frames_rejected_total", "reason", "unterminated") == 1);
			assertThat(server.scrape().value("timestamp_requests_total", "transport", "tls", "outcome", "ok"))
				.isEqualTo(2);
		}
	}

	/**
	 * Sends the requests, then close_notify without a FIN, over TLS 1.3: only the
	 * decrypted alert tells the server. Returns the replies read until the server's
	 * close_notify.
	 */
	private static String[] sendThenTls13CloseNotifyWithoutFin(RunningServer server, String requests)
			throws IOException {
		try (Socket socket = new Socket("127.0.0.1", server.tlsPort())) {
			socket.setSoTimeout(10_000);
			SSLEngine client = TlsClients.context(certificates, false).createSSLEngine("localhost", server.tlsPort());
			client.setUseClientMode(true);
			client.setEnabledProtocols(new String[] { "TLSv1.3" });
			ByteBuffer fromServer = handshake(client, socket);
			ByteBuffer records = ByteBuffer.allocate(2 * client.getSession().getPacketBufferSize());
			client.wrap(ByteBuffer.wrap(requests.getBytes(StandardCharsets.US_ASCII)), records);
			client.closeOutbound();
			client.wrap(ByteBuffer.allocate(0), records);
			socket.getOutputStream().write(records.array(), 0, records.position());
			return readUntilCloseNotify(client, socket, fromServer).split("\r\n");
		}
	}

	/** Decrypts what the server sends until its close_notify. */
	private static String readUntilCloseNotify(SSLEngine engine, Socket socket, ByteBuffer in) throws IOException {
		ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
		StringBuilder text = new StringBuilder();
		while (!engine.isInboundDone()) {
			in.flip();
			SSLEngineResult result = engine.unwrap(in, plain);
			in.compact();
			plain.flip();
			text.append(StandardCharsets.US_ASCII.decode(plain));
			plain.clear();
			if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !readMore(socket, in)) {
				throw new IOException("the server closed without close_notify, after: " + text);
			}
		}
		return text.toString();
	}

	@Test
	void clientsStillSendingThroughTheMaxAgeDrainGetEveryCountedReplyAndACleanEnd(CapturedOutput output)
			throws Exception {
		// Each client writes batches without waiting and reads on another thread; the
		// drain must neither cut a record nor drop a counted reply. Rounds of them.
		try (RunningServer server = RunningServer.start(args("--timestamp.tcp.max-connection-age=300ms"))) {
			SSLContext context = TlsClients.context(certificates, false);
			ExecutorService clients = Executors.newCachedThreadPool();
			try {
				long replies = 0;
				for (int round = 0; round < 4; round++) {
					List<Future<Long>> connections = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						connections.add(clients.submit(() -> sendThroughTheDrain(server.tlsPort(), context)));
					}
					for (Future<Long> connection : connections) {
						replies += connection.get(60, TimeUnit.SECONDS);
					}
				}
				long received = replies;
				Awaitility.await().until(() -> server.scrape().value("timestamp_tls_connections_active") == 0);
				assertThat(server.scrape().value("timestamp_requests_total", "transport", "tls", "outcome", "ok"))
					.isEqualTo(received);
				assertThat(server.scrape().value("timestamp_tls_connections_closed_total", "reason", "max_age"))
					.isEqualTo(32);
			}
			finally {
				clients.shutdownNow();
			}
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void aClientReadingSlowlyThroughTheDrainGetsEveryCountedReplyAndACleanEnd() throws Exception {
		// More replies are queued when the drain starts than the client reads in the two
		// seconds after.
		try (RunningServer server = RunningServer.start(args("--timestamp.tcp.max-connection-age=500ms"));
				Socket tcp = SlowReadingClient.connect(server.tlsPort())) {
			SSLSocket socket = (SSLSocket) TlsClients.context(certificates, false)
				.getSocketFactory()
				.createSocket(tcp, "localhost", server.tlsPort(), true);
			socket.startHandshake();
			// A cut record or a missing close_notify makes the JDK throw.
			long replies = SlowReadingClient.pipelineUntilTheServerEnds(socket, "slowly");
			Awaitility.await().until(() -> server.scrape().value("timestamp_tls_connections_active") == 0);
			PrometheusText meters = server.scrape();
			assertThat(meters.value("timestamp_requests_total", "transport", "tls", "outcome", "ok"))
				.isEqualTo(replies);
			assertThat(meters.value("timestamp_tls_connections_closed_total", "reason", "max_age")).isEqualTo(1);
		}
	}

	/** Replies read, each checked, until the server's close_notify. */
	private static long sendThroughTheDrain(int port, SSLContext context) throws IOException, InterruptedException {
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			Thread writer = new Thread(() -> {
				byte[] batch = "through the drain\n".repeat(50).getBytes(StandardCharsets.US_ASCII);
				try {
					OutputStream out = socket.getOutputStream();
					while (true) {
						out.write(batch);
					}
				}
				catch (IOException ex) {
					// the server has closed: expected
				}
			});
			writer.start();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			long replies = 0;
			String line;
			// A cut record or a missing close_notify makes the JDK throw here.
			while ((line = in.readLine()) != null) {
				assertThat(line).endsWith("] through the drain");
				replies++;
			}
			socket.close();
			writer.join();
			return replies;
		}
	}

	@Test
	void closesPlaintextOnTheTlsPortQuietly(CapturedOutput output) {
		try (RunningServer server = RunningServer.start(args());
				TcpTestClient plaintext = new TcpTestClient(server.tlsPort())) {
			plaintext.send("hello\n");
			assertThat(plaintext.isClosedByServer()).isTrue();
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tls_handshakes_total", "outcome", "not_tls") == 1);
			assertThat(server.scrape().value("timestamp_tls_connections_closed_total", "reason", "tls_handshake"))
				.isEqualTo(1);
		}
		assertThat(output.getAll()).doesNotContain("WARN").doesNotContain("ERROR").doesNotContain("Exception");
	}

	@Test
	void closesAConnectionWhoseHandshakeDoesNotCompleteInTime() {
		try (RunningServer server = RunningServer.start(args("--timestamp.tls.handshake-timeout=300ms"));
				TcpTestClient silent = new TcpTestClient(server.tlsPort())) {
			assertThat(silent.isClosedByServer()).isTrue();
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tls_handshakes_total", "outcome", "timeout") == 1);
		}
	}

	@Test
	void mutualTlsServesOnlyClientsWithATrustedCertificate() {
		try (RunningServer server = RunningServer.start(args("--timestamp.tls.client-auth=need"))) {
			try (TcpTestClient withCertificate = TlsClients.connect(server.tlsPort(),
					TlsClients.context(certificates, true))) {
				withCertificate.send("mutual\n");
				assertStamped(withCertificate.readCrlfLine(), "mutual");
			}
			// In TLS 1.3 the server checks the client's certificate after the client
			// considers the handshake done: the refusal shows on the first read.
			assertThatException().isThrownBy(() -> {
				try (TcpTestClient without = TlsClients.connect(server.tlsPort(),
						TlsClients.context(certificates, false))) {
					without.send("anonymous\n");
					without.readCrlfLine();
				}
			});
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_tls_handshakes_total", "outcome", "certificate") == 1);
		}
	}

	@Test
	void usesACertificateReplacedOnDiskForNewConnectionsWhileOpenOnesGoOn() throws IOException {
		Path dir = certificatesDir.resolve("reload");
		TestCertificates reloadable = TestCertificates.create(Files.createDirectories(dir));
		SSLContext trustingCa = TlsClients.context(reloadable, false);
		try (RunningServer server = startReloading(reloadable);
				TcpTestClient old = TlsClients.connect(server.tlsPort(), trustingCa)) {
			assertThat(TlsClients.serverSubject(old)).isEqualTo("CN=localhost");
			reloadable.renewServer("renewed.localhost");
			Awaitility.await().until(() -> {
				try (TcpTestClient next = TlsClients.connect(server.tlsPort(), trustingCa)) {
					return TlsClients.serverSubject(next).equals("CN=renewed.localhost");
				}
			});
			old.send("still here\n");
			assertStamped(old.readCrlfLine(), "still here");
		}
	}

	@Test
	void followsAKubernetesSecretVolumeThroughEveryRotation() throws IOException {
		// A mounted Secret: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/; the
		// kubelet writes a new directory and swaps the ..data link at once.
		Path volume = Files.createDirectories(certificatesDir.resolve("secret-volume"));
		certificates.issueServerInto(volume.resolve("..v0"), "localhost");
		Files.createSymbolicLink(volume.resolve("..data"), Path.of("..v0"));
		Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data", "tls.crt"));
		Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data", "tls.key"));
		SSLContext trustingCa = TlsClients.context(certificates, false);
		try (RunningServer server = RunningServer.start("--timestamp.tls.enabled=true", "--timestamp.tls.port=0",
				"--timestamp.tls.bundle=secret",
				"--spring.ssl.bundle.pem.secret.keystore.certificate=file:" + volume.resolve("tls.crt"),
				"--spring.ssl.bundle.pem.secret.keystore.private-key=file:" + volume.resolve("tls.key"),
				"--spring.ssl.bundle.pem.secret.reload-on-update=true",
				"--spring.ssl.bundle.watch.file.quiet-period=100ms")) {
			for (int rotation = 1; rotation <= 2; rotation++) {
				String subject = "rotation" + rotation + ".localhost";
				certificates.issueServerInto(volume.resolve("..v" + rotation), subject);
				Path link = volume.resolve("..data_tmp");
				Files.createSymbolicLink(link, Path.of("..v" + rotation));
				Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
						StandardCopyOption.REPLACE_EXISTING);
				Awaitility.await().until(() -> {
					try (TcpTestClient next = TlsClients.connect(server.tlsPort(), trustingCa)) {
						return TlsClients.serverSubject(next).equals("CN=" + subject);
					}
				});
			}
		}
	}

	@Test
	void theBuiltInClientAndBenchSpeakTlsAndMutualTls() {
		try (RunningServer server = RunningServer.start(args("--timestamp.tls.client-auth=need"))) {
			String port = String.valueOf(server.tlsPort());
			// Piped lines: every reply arrives although a TLS client cannot half-close.
			CliRun client = CliRun.piped("one\ntwo\nthree\n", "client", "tcp", "--tls", "--ca",
					certificates.ca().toString(), "--cert", certificates.clientCertificate().toString(), "--key",
					certificates.clientKey().toString(), "--port", port);
			assertThat(client.exitCode()).as(client.err()).isZero();
			assertStamped(client.outLines()[0].getBytes(StandardCharsets.UTF_8), "one");
			assertStamped(client.outLines()[2].getBytes(StandardCharsets.UTF_8), "three");
			CliRun anonymous = CliRun.piped("", "client", "tcp", "--tls", "--ca", certificates.ca().toString(),
					"--port", port, "hello");
			assertThat(anonymous.exitCode()).isEqualTo(1);
			CliRun churn = CliRun.piped("", "bench", "churn", "--tls", "--ca", certificates.ca().toString(), "--cert",
					certificates.clientCertificate().toString(), "--key", certificates.clientKey().toString(), "--port",
					port, "-c", "2", "-d", "1", "-w", "0", "--json");
			assertThat(churn.exitCode()).as(churn.out() + churn.err()).isZero();
			assertThat(JsonPath.<Number>read(churn.out(), "$.totalAnswered").longValue()).isPositive();
		}
	}

	@Test
	void theBuiltInClientSaysWhatIsWrongWhenTlsAndThePortDoNotAgree() {
		try (RunningServer server = RunningServer.start(args())) {
			String plainPort = String.valueOf(server.tcpPort());
			String tlsPort = String.valueOf(server.tlsPort());
			CliRun tlsToPlain = CliRun.piped("", "client", "tcp", "--tls", "--insecure", "--port", plainPort, "hi");
			assertThat(tlsToPlain.exitCode()).isEqualTo(1);
			assertThat(tlsToPlain.err()).contains("does not speak TLS");
			CliRun untrusted = CliRun.piped("", "client", "tcp", "--tls", "--port", tlsPort, "hi");
			assertThat(untrusted.exitCode()).isEqualTo(1);
			assertThat(untrusted.err()).contains("not signed by an authority this client trusts").contains("--ca FILE");
			CliRun plainToTls = CliRun.piped("", "client", "tcp", "--port", tlsPort, "hi");
			assertThat(plainToTls.exitCode()).isEqualTo(1);
			assertThat(plainToTls.err()).contains("closed the connection without replying").contains("--tls");
		}
	}

	@Test
	void refusesToStartWithoutABundleOrWithAnUnknownOne(CapturedOutput output) {
		assertThatException().isThrownBy(() -> RunningServer.start("--timestamp.tls.enabled=true").close());
		assertThat(output.getAll()).contains("timestamp.tls.bundle");
		assertThatException().isThrownBy(
				() -> RunningServer.start("--timestamp.tls.enabled=true", "--timestamp.tls.bundle=nosuch").close());
		assertThat(output.getAll()).contains("nosuch").contains("spring.ssl.bundle.pem.nosuch");
	}

	@Test
	void refusesToStartWithAPrivateKeyThatIsNotTheCertificates(CapturedOutput output) {
		// Every handshake would fail with an internal_error alert, on a server reporting
		// itself ready.
		assertThatException().isThrownBy(
				() -> RunningServer
					.start(argsWithout(".keystore.private-key=",
							"--spring.ssl.bundle.pem.test.keystore.private-key=file:" + certificates.clientKey()))
					.close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("SSL bundle 'test'")
			.contains("private key does not belong to the certificate CN=localhost")
			.doesNotContain("listening on");
	}

	@Test
	void refusesToStartWithABundleThatHoldsNoCertificateAndKey(CapturedOutput output) {
		// A bundle with trust material only (or a misspelt keystore setting, which Spring
		// Boot ignores): every handshake would fail with an internal_error alert.
		assertThatException().isThrownBy(() -> RunningServer.start(argsWithout(".keystore.")).close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("SSL bundle 'test'")
			.contains("holds no private key with its certificate")
			.doesNotContain("listening on");
	}

	@Test
	void servesTls12WithTheCipherSuiteTheBundleNames() {
		try (RunningServer server = RunningServer
			.start(args("--spring.ssl.bundle.pem.test.options.enabled-protocols=TLSv1.2",
					"--spring.ssl.bundle.pem.test.options.ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
				TcpTestClient client = TlsClients.connect(server.tlsPort(), TlsClients.context(certificates, false),
						"TLSv1.2")) {
			client.send("one suite\n");
			assertStamped(client.readCrlfLine(), "one suite");
		}
	}

	@Test
	void refusesToStartWithCipherSuitesNoneOfWhichGoWithTheKey(CapturedOutput output) {
		// RSA suites only, on TLS 1.2, for an EC key: every handshake would fail on a
		// server reporting itself ready.
		assertThatException().isThrownBy(
				() -> RunningServer
					.start(args("--spring.ssl.bundle.pem.test.options.enabled-protocols=TLSv1.2",
							"--spring.ssl.bundle.pem.test.options.ciphers=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
					.close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("SSL bundle 'test'")
			.contains("no TLS client can complete a handshake with it")
			.doesNotContain("listening on");
	}

	@ParameterizedTest
	@ValueSource(strings = { "need", "want" })
	void refusesClientCertificatesWithoutTrustMaterialOfTheBundlesOwn(String clientAuth, CapturedOutput output) {
		// Without it they would be checked against the JDK's public authorities.
		String[] withoutTrustStore = argsWithout(".truststore.", "--timestamp.tls.client-auth=" + clientAuth);
		assertThatException().isThrownBy(() -> RunningServer.start(withoutTrustStore).close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("'timestamp.tls.client-auth'")
			.contains("spring.ssl.bundle.pem.test.truststore.certificate")
			.doesNotContain("listening on");
	}

	@Test
	void refusesToStartNamingTheBundleAndTheFileItCannotRead(CapturedOutput output) {
		Path missing = certificatesDir.resolve("no-such.crt");
		assertThatException().isThrownBy(
				() -> RunningServer
					.start(argsWithout(".keystore.certificate=",
							"--spring.ssl.bundle.pem.test.keystore.certificate=file:" + missing))
					.close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("SSL bundle 'test'")
			.contains(missing + " (No such file or directory)")
			.contains("spring.ssl.bundle.pem.test.")
			.doesNotContain("\tat ");
	}

	@ParameterizedTest(name = "TLS on: {0}")
	@ValueSource(booleans = { true, false })
	void refusesToStartNamingABundleItCannotReadThatTheListenerDoesNotUse(boolean tlsOn, CapturedOutput output) {
		// Spring Boot loads every bundle at start-up for its ssl metrics, used or not.
		Path missing = certificatesDir.resolve("no-such-spare.crt");
		String[] spare = { "--spring.ssl.bundle.pem.spare.keystore.certificate=file:" + missing,
				"--spring.ssl.bundle.pem.spare.keystore.private-key=file:" + certificates.serverKey() };
		assertThatException().isThrownBy(() -> RunningServer.start(tlsOn ? args(spare) : spare).close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("SSL bundle 'spare'")
			.contains(missing + " (No such file or directory)")
			.contains("spring.ssl.bundle.pem.spare.")
			.doesNotContain("TCP listening")
			.doesNotContain("\tat ");
	}

	@Test
	void keepsTheCertificateInUseWhenARenewalBringsAKeyThatIsNotItsOwn(CapturedOutput output) throws IOException {
		Path dir = certificatesDir.resolve("mismatched-renewal");
		TestCertificates reloadable = TestCertificates.create(Files.createDirectories(dir));
		SSLContext trustingCa = TlsClients.context(reloadable, false);
		try (RunningServer server = startReloading(reloadable)) {
			Files.copy(reloadable.clientKey(), reloadable.serverKey(), StandardCopyOption.REPLACE_EXISTING);
			Awaitility.await().until(() -> output.getAll().contains("connections keep the previous one"));
			assertThat(output.getAll()).contains("private key does not belong to the certificate CN=localhost");
			assertServes(TlsClients.connect(server.tlsPort(), trustingCa), "after the bad renewal");
		}
	}

	@Test
	void keepsTheCertificateInUseWhenARenewalLeavesNoCipherSuiteForItsKey(CapturedOutput output) throws IOException {
		// ECDSA suites only on TLS 1.2, and the renewal brings an RSA certificate with
		// its own key.
		Path dir = certificatesDir.resolve("rsa-renewal");
		TestCertificates reloadable = TestCertificates.create(Files.createDirectories(dir));
		Path[] rsa = TestCertificates.selfSigned(dir, "rsa", "rsa:2048");
		SSLContext trustingCa = TlsClients.context(reloadable, false);
		try (RunningServer server = startReloading(reloadable,
				"--spring.ssl.bundle.pem.test.options.enabled-protocols=TLSv1.2",
				"--spring.ssl.bundle.pem.test.options.ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
			Files.copy(rsa[1], reloadable.serverKey(), StandardCopyOption.REPLACE_EXISTING);
			Files.copy(rsa[0], reloadable.serverCertificate(), StandardCopyOption.REPLACE_EXISTING);
			Awaitility.await().until(() -> output.getAll().contains("no TLS client can complete a handshake with it"));
			assertServes(TlsClients.connect(server.tlsPort(), trustingCa, "TLSv1.2"), "after the renewal");
		}
	}

	@Test
	void countsReloadsAndTellsWhenTheCertificateInUseExpires(CapturedOutput output) throws IOException {
		// Otherwise a rejected renewal is a log line until the certificate in use
		// expires.
		Path dir = certificatesDir.resolve("counted-renewals");
		TestCertificates reloadable = TestCertificates.create(Files.createDirectories(dir));
		try (RunningServer server = startReloading(reloadable)) {
			PrometheusText before = server.scrape();
			assertThat(before.value("timestamp_tls_certificate_expiry_seconds")).as("issued for two days")
				.isBetween(86_400.0, 172_800.0);
			Files.copy(reloadable.clientKey(), reloadable.serverKey(), StandardCopyOption.REPLACE_EXISTING);
			Awaitility.await().until(() -> reloads(server.scrape(), "rejected") > reloads(before, "rejected"));
			reloadable.renewServer("renewed.localhost");
			Awaitility.await().until(() -> reloads(server.scrape(), "applied") > reloads(before, "applied"));
			assertThat(server.scrape().value("timestamp_tls_certificate_expiry_seconds")).isBetween(86_400.0,
					172_800.0);
		}
	}

	@Test
	void keepsTheCertificateInUseWhenTheRenewalHasExpired(CapturedOutput output) throws IOException {
		Path dir = certificatesDir.resolve("expired-renewal");
		TestCertificates reloadable = TestCertificates.create(Files.createDirectories(dir));
		SSLContext trustingCa = TlsClients.context(reloadable, false);
		try (RunningServer server = startReloading(reloadable)) {
			PrometheusText before = server.scrape();
			reloadable.renewServer("expired.localhost", -1);
			Awaitility.await().until(() -> reloads(server.scrape(), "rejected") > reloads(before, "rejected"));
			assertThat(output.getAll()).contains("could not be used").contains("not valid now");
			assertThat(reloads(server.scrape(), "applied")).isEqualTo(reloads(before, "applied"));
			try (TcpTestClient next = TlsClients.connect(server.tlsPort(), trustingCa)) {
				assertThat(TlsClients.serverSubject(next)).isEqualTo("CN=localhost");
			}
		}
	}

	private static double reloads(PrometheusText scrape, String outcome) {
		return scrape.value("timestamp_tls_certificate_reloads_total", "outcome", outcome);
	}

	/** The connection gets a stamped reply to {@code line}, and is closed. */
	private static void assertServes(TcpTestClient client, String line) {
		try (client) {
			client.send(line + "\n");
			assertStamped(client.readCrlfLine(), line);
		}
	}

	/** A server whose bundle is read again when its files change. */
	private static RunningServer startReloading(TestCertificates certificates, String... more) {
		List<String> args = certificates.serverArguments("--spring.ssl.bundle.pem.test.reload-on-update=true",
				"--spring.ssl.bundle.watch.file.quiet-period=100ms");
		args.addAll(List.of(more));
		return RunningServer.start(args.toArray(String[]::new));
	}

	/** The test bundle's arguments less those containing {@code dropped}, plus more. */
	private static String[] argsWithout(String dropped, String... more) {
		return Stream
			.concat(certificates.serverArguments().stream().filter((arg) -> !arg.contains(dropped)), Stream.of(more))
			.toArray(String[]::new);
	}

	private static String[] args(String... more) {
		return certificates.serverArguments(more).toArray(String[]::new);
	}

}
