package dev.timestamp.netty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.Udp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default bind address takes IPv4 and IPv6 clients on both transports, with the
 * native transport and with the NIO fallback alike, and says so.
 */
@Timeout(120)
class DualStackIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.bind-address=0.0.0.0");

	@BeforeAll
	static void needsIpv6Loopback() {
		Assumptions.assumeTrue(Udp.hasIpv6Loopback(), "no IPv6 loopback (::1) on this host");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "::1" })
	void answersTcpAndUdpOverIpv4AndIpv6(String address) throws IOException {
		assertStamped(tcp(address, server.tcpPort(), "over " + address).getBytes(StandardCharsets.UTF_8),
				"over " + address);
		assertStamped(udp(address, server.udpPort(), "over " + address), "over " + address);
	}

	@Test
	void reportsTheDualStackAddressItBinds() {
		HttpResult health = server.get("/actuator/health");
		assertThat(health.<String>json("$.components.tcp.details.address")).isEqualTo("::");
		assertThat(health.<String>json("$.components.udp.details.address")).isEqualTo("::");
		assertThat(server.get("/actuator/info").<String>json("$.tcp.address")).isEqualTo("::");
	}

	@Test
	void theNioFallbackBindsBothFamiliesToo() throws Exception {
		try (ServerProcess nio = ServerProcess.start(List.of("-Dio.netty.transport.noNative=true"),
				"--timestamp.bind-address=0.0.0.0")) {
			int tcpPort = Integer.parseInt(nio.await(
					"TCP listening on \\[::\\]:(\\d+) \\(every IPv4 and IPv6 address\\) \\(framing line, nio\\)",
					Duration.ofSeconds(60)));
			int udpPort = Integer.parseInt(nio.await("UDP listening on \\[::\\]:(\\d+) .*nio", Duration.ofSeconds(60)));
			for (String address : new String[] { "127.0.0.1", "::1" }) {
				assertStamped(tcp(address, tcpPort, "nio " + address).getBytes(StandardCharsets.UTF_8),
						"nio " + address);
				assertStamped(udp(address, udpPort, "nio " + address), "nio " + address);
			}
		}
	}

	private static String tcp(String address, int port, String line) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 5000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
	}

	/** From a socket connected to the address: only a reply from that address arrives. */
	private static byte[] udp(String address, int port, String payload) throws IOException {
		DatagramPacket reply = Udp.exchangeConnected(InetAddress.getByName(address), port,
				payload.getBytes(StandardCharsets.UTF_8));
		return Arrays.copyOf(reply.getData(), reply.getLength());
	}

}
