package dev.timestamp.netty;

import dev.timestamp.support.IoUringHere;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@ExtendWith(OutputCaptureExtension.class)
class EventLoopsTests {

	@Test
	void runsTcpOnIoUringWhenAskedAndTheKernelAllowsIt() {
		assertThat(EventLoops.useIoUring(TcpTransport.IO_URING, () -> true)).isTrue();
	}

	@Test
	void staysOnEpollWithAWarningWhereTheKernelDoesNotAllowIoUring(CapturedOutput output) {
		assertThat(EventLoops.useIoUring(TcpTransport.IO_URING, () -> false)).isFalse();
		assertThat(output).contains("timestamp.tcp.transport=io-uring, but io_uring is not available here")
			.contains("TCP uses epoll");
	}

	@Test
	void doesNotProbeForIoUringUnlessAsked(CapturedOutput output) {
		assertThat(EventLoops.useIoUring(TcpTransport.EPOLL, () -> fail("probed for io_uring"))).isFalse();
		assertThat(output).doesNotContain("io_uring");
	}

	@Test
	void givesTcpItsOwnIoUringLoopsAndLeavesTheOthersToUdp() {
		IoUringHere.assumeAllowed();
		try (EventLoops loops = new EventLoops(1, "test-io", TcpTransport.IO_URING)) {
			assertThat(loops.tcpGroup()).isNotSameAs(loops.group());
			assertThat(loops.tcpServerChannelType()).isEqualTo(IoUringServerSocketChannel.class);
			assertThat(loops.tcpTransportName()).isEqualTo("io_uring");
			assertThat(loops.datagramChannelType()).isNotEqualTo(loops.tcpServerChannelType());
		}
	}

	@Test
	void acceptsOneConnectionAtATimeOnIoUring() {
		IoUringHere.assumeAllowed();
		try (EventLoops loops = new EventLoops(1, "test-io", TcpTransport.IO_URING)) {
			assertThat(IoUring.isAcceptMultishotEnabled()).isFalse();
		}
	}

	@Test
	void sharesOneGroupOnEpoll() {
		try (EventLoops loops = new EventLoops(1, "test-io", TcpTransport.EPOLL)) {
			assertThat(loops.tcpGroup()).isSameAs(loops.group());
			assertThat(loops.tcpServerChannelType()).isEqualTo(loops.serverChannelType());
			assertThat(loops.tcpTransportName()).isEqualTo(loops.transportName());
		}
	}

}
