package dev.timestamp.clock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import dev.timestamp.support.HttpResult;
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
			int port = server.context().getBean(TimeProtocolListeners.class).port("rfc868");
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				socket.setSoTimeout(5000);
				assertThat(socket.getInputStream().readAllBytes()).hasSize(synchronised ? 4 : 0);
			}
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				socket.setSoTimeout(synchronised ? 5000 : 1000);
				socket.send(new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), port));
				DatagramPacket reply = new DatagramPacket(new byte[16], 16);
				if (synchronised) {
					socket.receive(reply);
					assertThat(reply.getLength()).isEqualTo(4);
				}
				else {
					assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.receive(reply));
				}
			}
			double refused = server.scrape()
				.value("timestamp_time_protocol_dropped_total", "protocol", "rfc868", "reason", "clock_unsynchronized");
			assertThat(refused).isEqualTo(synchronised ? 0 : 2);
		}
	}

	@Test
	void withoutTheGateTheTimeListenersAnswerWhateverTheClock() throws IOException {
		try (RunningServer server = RunningServer.start("--timestamp.rfc868.enabled=true",
				"--timestamp.rfc868.port=0")) {
			int port = server.context().getBean(TimeProtocolListeners.class).port("rfc868");
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
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
