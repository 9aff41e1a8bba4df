package dev.timestamp.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.TestCertificates;
import dev.timestamp.support.TlsClients;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.timestamp.support.PrometheusText.delta;
import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS clients that each send most of a record and never its end, against a server process
 * whose direct memory is smaller than those records together: the TLS engine keeps each
 * until its last byte arrives, where the framing never sees it, yet the connections
 * holding them are closed before direct memory runs out, and a good TLS client is
 * answered throughout.
 */
@Timeout(180)
class TlsMemoryPressureProcessTests {

	private static final List<String> JVM = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m", "-Xss512k",
			"-XX:+UseSerialGC");

	/** About 16 KB each: together more than the 32 MB there are. */
	private static final int HOLDERS = 2500;

	@TempDir
	Path certificates;

	@Test
	void closesConnectionsHoldingUnfinishedTlsRecordsBeforeDirectMemoryRunsOutWhileServingAGoodClient()
			throws Exception {
		TestCertificates tls = TestCertificates.create(this.certificates);
		// Long enough that no holder is closed for its handshake while the test runs.
		List<String> args = tls.serverArguments("--timestamp.tls.handshake-timeout=3m", "--timestamp.io-threads=2");
		List<Socket> holders = new ArrayList<>();
		try (ServerProcess server = ServerProcess.start(JVM, args.toArray(String[]::new))) {
			int tlsPort = Integer
				.parseInt(server.await("TLS listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", Duration.ofSeconds(60)));
			SSLContext context = TlsClients.context(tls, false);
			PrometheusText before = PrometheusText.scrape(httpPort);
			try (TcpTestClient good = TlsClients.connect(tlsPort, context)) {
				// A guard against a hang, far above the seconds this takes: a server
				// whose memory ran out accepted a connection every few seconds, for
				// hours.
				long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
				for (int i = 0; i < HOLDERS; i++) {
					assertThat(System.nanoTime() - deadline).as("connections accepted in time: %d", i).isNegative();
					holders.add(sendMostOfARecord(tlsPort));
					if (i % 100 == 0) {
						good.send("good " + i + "\n");
						assertStamped(good.readCrlfLine(), "good " + i);
					}
				}
				Awaitility.await()
					.until(() -> delta(before, PrometheusText.scrape(httpPort),
							"timestamp_tls_connections_closed_total", "reason", "memory") > 0);
				good.send("still served\n");
				assertStamped(good.readCrlfLine(), "still served");
			}
			finally {
				for (Socket holder : holders) {
					holder.close();
				}
			}
			assertThat(server.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
		}
	}

	/**
	 * A ClientHello record announced as 16,000 bytes, all of it sent but its last byte.
	 */
	private static Socket sendMostOfARecord(int port) throws IOException {
		byte[] partial = new byte[5 + 16_000 - 1];
		partial[0] = 22;
		partial[1] = 3;
		partial[2] = 1;
		partial[3] = (byte) (16_000 >> 8);
		partial[4] = (byte) 16_000;
		Socket holder = new Socket();
		// A server whose memory has run out may stop accepting: fail then, do not hang.
		holder.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
		try {
			holder.getOutputStream().write(partial);
		}
		catch (IOException ex) {
			// closed by the server already: memory was short when it was accepted
		}
		return holder;
	}

}
