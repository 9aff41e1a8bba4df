package dev.timestamp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.timestamp.support.FreePorts;
import dev.timestamp.support.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A port that is already taken, or an address that is not this host's, ends the process
 * with a clear message and a non-zero exit code. Runs the application as its own process,
 * the way an operator starts it.
 */
@Timeout(120)
class PortInUseTests {

	@Test
	void exitsWithAClearMessageWhenTheTcpPortIsTaken() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			JavaProcess result = run("--timestamp.tcp.port=" + taken.getLocalPort(), "--timestamp.udp.port=0");
			assertThat(result.exitCode()).isNotZero();
			assertThat(result.output()).contains("TCP listener could not bind 127.0.0.1:" + taken.getLocalPort())
				.contains("timestamp.tcp.port")
				.doesNotContain("\tat ");
		}
	}

	@Test
	void exitsWithAClearMessageWhenTheUdpPortIsTaken() throws Exception {
		try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			JavaProcess result = run("--timestamp.tcp.port=0", "--timestamp.udp.port=" + taken.getLocalPort());
			assertThat(result.exitCode()).isNotZero();
			assertThat(result.output()).contains("UDP listener could not bind 127.0.0.1:" + taken.getLocalPort())
				.contains("timestamp.udp.port");
		}
	}

	@Test
	void exitsWithAClearMessageWhenTheHttpPortIsTaken() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			JavaProcess result = JavaProcess.run("--timestamp.bind-address=127.0.0.1", "--timestamp.tcp.port=0",
					"--timestamp.udp.port=0", "--server.address=127.0.0.1", "--server.port=" + taken.getLocalPort());
			assertThat(result.exitCode()).isNotZero();
			assertThat(result.output())
				.contains("HTTP (actuator) listener could not bind 127.0.0.1:" + taken.getLocalPort())
				.contains("'server.port'")
				.doesNotContain("\tat ");
		}
	}

	@Test
	void saysWhenTheHttpPortIsTheServicesOwnTcpPort() throws Exception {
		int port = FreePorts.next();
		JavaProcess result = JavaProcess.run("--timestamp.bind-address=127.0.0.1", "--timestamp.tcp.port=" + port,
				"--timestamp.udp.port=0", "--server.address=127.0.0.1", "--server.port=" + port);
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("is this service's own TCP port (timestamp.tcp.port)")
			.contains("'server.port'")
			.doesNotContain("Stop the process");
	}

	@Test
	void exitsSayingWhenTheBindAddressIsNotOneOfThisHosts() throws Exception {
		// 192.0.2.0/24 is TEST-NET-1, never a host's address.
		JavaProcess result = JavaProcess.run("--timestamp.bind-address=192.0.2.1", "--timestamp.tcp.port=0",
				"--timestamp.udp.port=0", "--server.port=0");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("TCP listener could not bind 192.0.2.1:")
			.contains("192.0.2.1 is not an address of this host")
			.contains("'timestamp.bind-address'")
			.doesNotContain("Stop the process");
	}

	@Test
	void exitsSayingWhenTheHttpAddressIsNotOneOfThisHosts() throws Exception {
		JavaProcess result = run("--timestamp.tcp.port=0", "--timestamp.udp.port=0", "--server.address=192.0.2.1");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("HTTP (actuator) listener could not bind 192.0.2.1:")
			.contains("192.0.2.1 is not an address of this host")
			.contains("'server.address'")
			.doesNotContain("\tat ");
	}

	@Test
	void exitsNamingAMisspeltEnvironmentVariable() throws Exception {
		JavaProcess result = JavaProcess.run(Map.of("TIMESTAMP_TCP_PORTT", "1"), "--timestamp.bind-address=127.0.0.1",
				"--timestamp.tcp.port=0", "--timestamp.udp.port=0", "--server.port=0");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("TIMESTAMP_TCP_PORTT (environment variable)")
			.contains("did you mean TIMESTAMP_TCP_PORT (timestamp.tcp.port)")
			.doesNotContain("listening on");
	}

	private static JavaProcess run(String... args) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(
				List.of("--timestamp.bind-address=127.0.0.1", "--spring.main.banner-mode=off", "--server.port=0"));
		all.addAll(List.of(args));
		return JavaProcess.run(all.toArray(String[]::new));
	}

}
