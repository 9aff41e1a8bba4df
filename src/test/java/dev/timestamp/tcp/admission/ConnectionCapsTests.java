package dev.timestamp.tcp.admission;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caps on connections, on embedded channels: places under the cap in all taken in
 * accept order ({@link CapOnAccept}), a connection over it closed as it is set up
 * ({@link ConnectionAccounting}), the cap per source checked against the client's address
 * ({@link SourceAdmission}), all counted by {@link ConnectionLimits}.
 */
class ConnectionCapsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TcpMetrics metrics = new TcpMetrics(this.registry);

	@Test
	void admitsUpToTheCapPerSourceAndClosesTheNext() {
		ConnectionLimits limits = new ConnectionLimits(100, 2);
		EmbeddedConnection first = admit(limits, "198.51.100.1");
		EmbeddedConnection second = admit(limits, "198.51.100.1");
		EmbeddedConnection third = admit(limits, "198.51.100.1");
		EmbeddedConnection other = admit(limits, "198.51.100.2");
		assertThat(first.recorder.active).isTrue();
		assertThat(second.recorder.active).isTrue();
		assertThat(third.recorder.active).isFalse();
		assertThat(third.channel.isOpen()).isFalse();
		assertThat(third.closeReason()).isEqualTo(CloseReason.PER_SOURCE);
		assertThat(other.recorder.active).isTrue();
		assertThat(rejected("per_source")).isEqualTo(1);
	}

	@Test
	void aClosedConnectionGivesItsSourceSlotBack() {
		ConnectionLimits limits = new ConnectionLimits(100, 1);
		EmbeddedConnection first = admit(limits, "198.51.100.1");
		first.channel.close();
		assertThat(limits.sourcesTracked()).isZero();
		assertThat(admit(limits, "198.51.100.1").recorder.active).isTrue();
	}

	@Test
	void groupsIpv6SourcesByTheir64() {
		ConnectionLimits limits = new ConnectionLimits(100, 1);
		assertThat(admit(limits, "2001:db8:1:2::1").recorder.active).isTrue();
		assertThat(admit(limits, "2001:db8:1:2:ffff::9").recorder.active).isFalse();
		assertThat(admit(limits, "2001:db8:1:3::1").recorder.active).isTrue();
	}

	@Test
	void ipv4MappedAddressesCountAsTheirIpv4Source() throws Exception {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xFF;
		mapped[11] = (byte) 0xFF;
		System.arraycopy(InetAddress.getByName("198.51.100.1").getAddress(), 0, mapped, 12, 4);
		assertThat(ConnectionLimits.SourceKey.of(Inet6Address.getByAddress(null, mapped, -1)))
			.isEqualTo(ConnectionLimits.SourceKey.of(InetAddress.getByName("198.51.100.1")));
	}

	@Test
	void noPerSourceCapByDefault() {
		ConnectionLimits limits = new ConnectionLimits(100, 0);
		for (int i = 0; i < 5; i++) {
			assertThat(admit(limits, "198.51.100.1").recorder.active).isTrue();
		}
		assertThat(limits.sourcesTracked()).isZero();
	}

	@Test
	void overTheGlobalCapIsRejectedAsLimit() {
		ConnectionLimits limits = new ConnectionLimits(1, 0);
		assertThat(admit(limits, "198.51.100.1").recorder.active).isTrue();
		EmbeddedConnection over = admit(limits, "198.51.100.2");
		assertThat(over.recorder.active).isFalse();
		assertThat(over.closeReason()).isEqualTo(CloseReason.LIMIT);
		assertThat(rejected("limit")).isEqualTo(1);
		assertThat(limits.open()).as("the rejected one was counted open, then closed").isEqualTo(1);
	}

	@Test
	void aClosedConnectionGivesItsPlaceUnderTheCapBack() {
		ConnectionLimits limits = new ConnectionLimits(1, 0);
		admit(limits, "198.51.100.1").channel.close();
		assertThat(admit(limits, "198.51.100.2").recorder.active).isTrue();
	}

	@Test
	void connectionsOpenButNotAdmittedDoNotPushOneUnderTheCapOut() {
		// Shed connections whose closes have not completed, and connections another event
		// loop has not admitted yet, are open but hold no place.
		ConnectionLimits limits = new ConnectionLimits(2, 0);
		for (int i = 0; i < 5; i++) {
			limits.opened();
		}
		assertThat(admit(limits, "198.51.100.1").recorder.active).isTrue();
		assertThat(admit(limits, "198.51.100.2").recorder.active).isTrue();
		assertThat(admit(limits, "198.51.100.3").recorder.active).isFalse();
	}

	@Test
	void connectionsOpenBeyondWhatTheDescriptorsAllowAreRejectedWithPlacesFree() {
		// Shed connections hold their descriptors until their closes complete.
		ConnectionLimits limits = new ConnectionLimits(10, 0);
		limits.allow(10, 3);
		for (int i = 0; i < 4; i++) {
			limits.opened();
		}
		EmbeddedConnection over = admit(limits, "198.51.100.1");
		assertThat(over.recorder.active).isFalse();
		assertThat(over.closeReason()).isEqualTo(CloseReason.LIMIT);
	}

	@Test
	void theCapInAllIsCheckedBeforeTheClientIsKnown() {
		ConnectionLimits limits = new ConnectionLimits(1, 1);
		CapOnAccept accept = new CapOnAccept(limits);
		EmbeddedConnection first = EmbeddedConnection.acceptedThrough(accept, "198.51.100.1", 5000, accounting(limits));
		EmbeddedConnection second = EmbeddedConnection.acceptedThrough(accept, "198.51.100.2", 5000,
				accounting(limits));
		assertThat(first.recorder.active).isTrue();
		assertThat(second.closeReason()).isEqualTo(CloseReason.LIMIT);
		assertThat(limits.sourcesTracked()).as("the cap per source waits for the client").isZero();
	}

	@Test
	void placesGoToConnectionsInTheOrderTheyWereAcceptedNotTheOrderTheyAreSetUp() throws Exception {
		// Each connection is set up on its own event loop; the loops run side by side.
		ConnectionLimits limits = new ConnectionLimits(2, 0);
		CapOnAccept accept = new CapOnAccept(limits);
		List<EmbeddedChannel> accepted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			EmbeddedChannel connection = new EmbeddedChannel(false, false, accounting(limits));
			accept.take(connection);
			accepted.add(connection);
		}
		for (int i = 2; i >= 0; i--) {
			accepted.get(i).register();
		}
		assertThat(accepted.get(2).isOpen()).as("accepted third, set up first").isFalse();
		assertThat(accepted.get(0).isOpen()).isTrue();
		assertThat(accepted.get(1).isOpen()).isTrue();
	}

	@Test
	void theCapPerSourceAloneLeavesTheCapInAllAlone() {
		ConnectionLimits limits = new ConnectionLimits(1, 1);
		for (String source : new String[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" }) {
			assertThat(EmbeddedConnection.from(source, 5000, new SourceAdmission(limits, this.metrics)).recorder.active)
				.isTrue();
		}
	}

	@Test
	void nothingIsAdmittedOnceAcceptingStopped() {
		ConnectionLimits limits = new ConnectionLimits(100, 0);
		limits.stopAccepting();
		assertThat(admit(limits, "198.51.100.1").recorder.active).isFalse();
	}

	private EmbeddedConnection admit(ConnectionLimits limits, String source) {
		return EmbeddedConnection.acceptedThrough(new CapOnAccept(limits), source, 5000, accounting(limits),
				new SourceAdmission(limits, this.metrics));
	}

	private ConnectionAccounting accounting(ConnectionLimits limits) {
		return new ConnectionAccounting(limits, this.metrics, () -> {
		});
	}

	private double rejected(String reason) {
		return this.registry.get("timestamp.tcp.connections.rejected").tag("reason", reason).counter().count();
	}

}
