package dev.timestamp.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.ApplicationCommand;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.ServerProcess;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A network slower than the UDP requests arriving (a saturated link, a pod's egress
 * bandwidth limit): the kernel refuses replies once the socket's send buffer is full. The
 * replies the kernel has not taken must not pile up in the server until its direct memory
 * runs out, which costs every other client its replies: past one receive batch per socket
 * they are dropped and counted, a TCP client is answered throughout, and UDP is answered
 * again once the flood is over.
 */
@Timeout(180)
class UdpCongestedEgressProcessTests {

	private static final List<String> JVM = List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m", "-Xss512k",
			"-XX:+UseSerialGC");

	@Test
	void dropsRepliesTheNetworkCannotTakeInsteadOfQueueingThemUntilMemoryRunsOut() throws Exception {
		List<String> launcher = ShapedNetwork.launcher();
		try (ServerProcess server = ServerProcess.startUnder(launcher, JVM, "--timestamp.io-threads=2",
				"--timestamp.udp.port=" + ShapedNetwork.UDP_PORT)) {
			String tcpPort = server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60));
			String httpPort = server.await("Netty started on port (\\d+)", Duration.ofSeconds(60));
			String clients = runClients(server.pid(), tcpPort, httpPort);

			PrometheusText atEnd = PrometheusText
				.parse(clients.substring(clients.indexOf(CongestedEgressClients.SCRAPE_MARKER)
						+ CongestedEgressClients.SCRAPE_MARKER.length()));
			SoftAssertions.assertSoftly((softly) -> {
				softly.assertThat(atEnd.value("timestamp_direct_memory_used_bytes"))
					.as("direct memory in use as the flood ended")
					.isLessThan((32 << 20) / 4);
				softly.assertThat(server.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
				softly.assertThat(clients)
					.as("the clients' report")
					.containsPattern("good client answered [1-9]\\d* times");
				softly.assertThat(clients).contains("udp after the flood: answered");
				softly.assertThat(clients)
					.as("replies dropped because the kernel would not take them")
					.containsPattern(
							"timestamp_udp_datagrams_dropped_total\\{[^}]*reason=\"send_queue_full\"[^}]*\\} [1-9]");
			});
		}
	}

	private static String runClients(long serverPid, String tcpPort, String httpPort) throws Exception {
		List<String> command = new ArrayList<>(ShapedNetwork.enter(serverPid));
		command.addAll(ApplicationCommand.java(List.of("-Xmx64m"), CongestedEgressClients.class,
				List.of(tcpPort, String.valueOf(ShapedNetwork.UDP_PORT), httpPort, "8")));
		Process clients = new ProcessBuilder(command).redirectErrorStream(true).start();
		clients.getOutputStream().close();
		String output = new String(clients.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(clients.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(clients.exitValue()).as("the clients' exit code; they printed:\n%s", output).isZero();
		return output;
	}

}
