package dev.timestamp.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SharedServer;
import dev.timestamp.support.Udp;
import io.netty.channel.Channel;
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
	void everySocketOfTheListenerReadsOnOneEventLoop() {
		// the rate limiter's table is touched by that one thread only
		List<Channel> sockets = server.context().getBean(UdpInboundEndpoint.class).sockets();
		assertThat(sockets).hasSizeGreaterThan(1);
		assertThat(sockets).extracting(Channel::eventLoop).containsOnly(sockets.get(0).eventLoop());
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
