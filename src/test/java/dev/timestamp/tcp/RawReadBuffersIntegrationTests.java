package dev.timestamp.tcp;

import java.util.List;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read buffers of raw connections under a frame limit far larger than a request: a
 * small request is not read into a buffer of the limit.
 */
@Timeout(60)
class RawReadBuffersIntegrationTests {

	private static final String LIMIT = "--timestamp.tcp.max-frame-bytes=16MB";

	@Test
	void readsARawConnectionIntoBuffersOf64KiBNotOfTheFrameLimit() {
		assertReadsStartAt64KiB("--timestamp.tcp.framing=raw", LIMIT);
	}

	@Test
	void readsALineConnectionServedAsRawIntoBuffersOf64KiBNotOfTheFrameLimit() {
		assertReadsStartAt64KiB("--timestamp.tcp.raw-fallback-after=50ms", LIMIT);
	}

	/** A connection answered in raw framing by a server started with {@code args}. */
	private static void assertReadsStartAt64KiB(String... args) {
		try (RunningServer server = RunningServer.start(args); TcpTestClient client = server.connect()) {
			client.send("hi");
			assertStamped(client.readExactly(prefixLength() + 2), "hi");
			assertThat(firstReadBytes(onlyConnection(server))).isEqualTo(64 * 1024);
		}
	}

	private static Channel onlyConnection(RunningServer server) {
		List<NettyTcpConnection> connections = server.context()
			.getBean(NettyTcpServerConnectionFactory.class)
			.liveConnections();
		assertThat(connections).hasSize(1);
		return connections.get(0).channel();
	}

	/** The size of the next read the channel's read-buffer sizes would start with. */
	private static int firstReadBytes(Channel channel) {
		RecvByteBufAllocator sizes = channel.config().getRecvByteBufAllocator();
		RecvByteBufAllocator.Handle handle = sizes.newHandle();
		handle.reset(channel.config());
		return handle.guess();
	}

}
