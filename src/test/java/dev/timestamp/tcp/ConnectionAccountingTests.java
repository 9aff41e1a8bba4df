package dev.timestamp.tcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.config.Cidr;
import dev.timestamp.config.ProxyProtocolMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionAccounting}, first in every connection's pipeline, on an embedded
 * channel.
 */
class ConnectionAccountingTests {

	private final TcpMetrics metrics = new TcpMetrics(new SimpleMeterRegistry());

	private final ConnectionLimits limits = new ConnectionLimits(100, 1);

	private final ConnectionAccounting accounting = new ConnectionAccounting(this.limits, this.metrics, () -> {
	});

	@Test
	void closesAConnectionWhosePeerLeftBeforeItsAddressWasKnown() {
		ProxyProtocolSettings proxyProtocol = new ProxyProtocolSettings(ProxyProtocolMode.OPTIONAL,
				List.of(Cidr.valueOf("10.0.0.0/24")), Duration.ofSeconds(5), 16);
		EmbeddedConnection gone = EmbeddedConnection.withoutPeer(this.accounting,
				new ProxyProtocolDetector(proxyProtocol), new SourceAdmission(this.limits, this.metrics));
		gone.channel.checkException();
		assertThat(gone.channel.isOpen()).isFalse();
		assertThat(gone.closeReason()).isEqualTo(CloseReason.CLIENT);
		assertThat(gone.recorder.active).isFalse();
		assertThat(this.limits.open()).isZero();
	}

	@Test
	void pausesAcceptingWhileConnectionsStillClosingLeaveNoDescriptorsAndResumesAsTheyClose() {
		ConnectionLimits limits = new ConnectionLimits(1, 0);
		limits.allow(1, 1);
		ConnectionAccounting accounting = new ConnectionAccounting(limits, this.metrics, () -> {
		});
		EmbeddedChannel listener = new EmbeddedChannel();
		List<EmbeddedChannel> accepted = new ArrayList<>();
		for (int i = 0; i < 1 + ConnectionLimits.CLOSES_PENDING_ALLOWED; i++) {
			assertThat(listener.config().isAutoRead()).as("accepting with %d open", i).isTrue();
			accepted.add(new EmbeddedChannel(listener, DefaultChannelId.newInstance(), true, false, accounting));
		}
		assertThat(listener.config().isAutoRead()).isFalse();
		accepted.get(0).close();
		assertThat(listener.config().isAutoRead()).isTrue();
	}

}
