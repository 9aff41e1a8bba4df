package dev.timestamp.clock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code clock} health component against what Debian's {@code adjtimex} says about
 * this machine's clock, with and without the readiness gate. Both outcomes are checked
 * wherever the tests run: this machine's kernel decides which one is expected.
 */
class ClockHealthIntegrationTests {

	@Test
	void theClockComponentTellsWhatTheKernelTellsAndChangesNothingElseByDefault() throws Exception {
		boolean synchronised = AdjtimexProgram.clockSynchronized();
		try (RunningServer server = RunningServer.start()) {
			HttpResult health = server.get("/actuator/health");
			assertThat(health.<String>json("$.components.clock.status")).isEqualTo(clockStatus(synchronised));
			assertThat(health.<Boolean>json("$.components.clock.details.kernel.synchronized")).isEqualTo(synchronised);
			assertThat(health.<String>json("$.status")).isEqualTo("UP");
			assertThat(health.status()).isEqualTo(200);
			assertUpWithoutTheClock(server.get("/actuator/health/readiness"));
		}
	}

	@Test
	void withTheReadinessGateAnUnsynchronizedClockTakesThePodOutOfItsService() throws Exception {
		boolean synchronised = AdjtimexProgram.clockSynchronized();
		try (RunningServer server = RunningServer.start("--timestamp.clock.readiness=true")) {
			HttpResult readiness = server.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(synchronised ? 200 : 503);
			assertThat(readiness.<String>json("$.components.clock.status")).isEqualTo(clockStatus(synchronised));
			assertUpWithoutTheClock(server.get("/actuator/health/liveness"));
		}
	}

	@Test
	void withTheGateTheTimeListenersRefuseWhileTheClockIsUnsynchronized() throws Exception {
		boolean synchronised = AdjtimexProgram.clockSynchronized();
		try (RunningServer server = RunningServer.start("--timestamp.clock.readiness=true",
				"--timestamp.rfc868.enabled=true", "--timestamp.rfc868.port=0")) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort("rfc868"))) {
				socket.setSoTimeout(5000);
				assertThat(socket.getInputStream().readAllBytes()).hasSize(synchronised ? 4 : 0);
			}
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				socket.setSoTimeout(synchronised ? 5000 : 1000);
				socket.send(
						new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), server.udpPort("rfc868")));
				DatagramPacket reply = new DatagramPacket(new byte[16], 16);
				if (synchronised) {
					socket.receive(reply);
					assertThat(reply.getLength()).isEqualTo(4);
				}
				else {
					assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.receive(reply));
				}
			}
			PrometheusText meters = server.scrape();
			assertThat(meters.value("timestamp_rfc868_connections_closed_total", "reason", "clock_unsynchronized"))
				.isEqualTo(synchronised ? 0 : 1);
			assertThat(meters.value("timestamp_rfc868_datagrams_dropped_total", "reason", "clock_unsynchronized"))
				.isEqualTo(synchronised ? 0 : 1);
		}
	}

	@Test
	void withoutTheGateTheTimeListenersAnswerWhateverTheClock() throws IOException {
		try (RunningServer server = RunningServer.start("--timestamp.rfc868.enabled=true",
				"--timestamp.rfc868.port=0")) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort("rfc868"))) {
				socket.setSoTimeout(5000);
				assertThat(socket.getInputStream().readAllBytes()).hasSize(4);
			}
		}
	}

	private static String clockStatus(boolean synchronised) {
		return synchronised ? "UP" : "UNSYNCHRONIZED";
	}

	private static void assertUpWithoutTheClock(HttpResult probe) {
		assertThat(probe.status()).isEqualTo(200);
		assertThat(probe.body()).doesNotContain("\"clock\"");
	}

}
