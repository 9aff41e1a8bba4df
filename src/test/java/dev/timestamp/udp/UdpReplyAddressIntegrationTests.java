package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.Udp;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * On the wildcard address, each UDP reply leaves from the address (and port) its request
 * was sent to, so that connected clients, which drop datagrams from any other address,
 * get it. 127.0.0.2 is an address no interface lists: every 127/8 address reaches the
 * loopback.
 */
@Timeout(60)
class UdpReplyAddressIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.bind-address=0.0.0.0", "--timestamp.io-threads=2");

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.0.0.2", "127.0.0.3", "::1" })
	void repliesFromTheAddressTheRequestWasSentTo(String address) throws IOException {
		InetAddress target = InetAddress.getByName(address);
		Assumptions.assumeTrue(target.getAddress().length == 4 || Udp.hasIpv6Loopback(), "no IPv6 loopback here");
		for (int i = 0; i < 3; i++) {
			byte[] request = ("to " + address + " #" + i).getBytes(StandardCharsets.US_ASCII);
			DatagramPacket reply = Udp.exchangeConnected(target, server.udpPort(), request);
			assertThat(reply.getAddress()).isEqualTo(target);
			assertThat(reply.getPort()).isEqualTo(server.udpPort());
			assertStamped(Arrays.copyOf(reply.getData(), reply.getLength()), request);
		}
	}

	@Test
	void everyEventLoopHasASocketForEveryAddress() {
		// a reply leaves from its request's loop, from the address it was sent to
		List<Channel> sockets = server.context().getBean(UdpInboundEndpoint.class).sockets();
		Map<EventLoop, Long> perLoop = sockets.stream()
			.collect(Collectors.groupingBy(Channel::eventLoop, Collectors.counting()));
		assertThat(perLoop).hasSize(2);
		assertThat(perLoop.values()).allMatch((count) -> count > 1).containsOnly(perLoop.values().iterator().next());
	}

	@Test
	void aSecondServerCannotTakeTheSamePort() {
		assertThatException()
			.isThrownBy(
					() -> RunningServer
						.start("--timestamp.bind-address=0.0.0.0", "--timestamp.udp.port=" + server.udpPort(),
								"--timestamp.tcp.enabled=false")
						.close())
			.withStackTraceContaining("UDP listener could not bind");
	}

}
