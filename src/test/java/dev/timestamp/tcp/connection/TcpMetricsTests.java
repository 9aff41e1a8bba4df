package dev.timestamp.tcp.connection;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TcpMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void thePlainListenerPublishesNoTlsCloseReasons() {
		new TcpMetrics(this.registry);
		assertThat(closeReasons("timestamp.tcp")).contains("client", "frame_too_large", "idle")
			.doesNotContain("tls_handshake", "tls_error", "answered");
	}

	@Test
	void theTlsListenerPublishesItsOwnCloseReasons() {
		new TcpMetrics(this.registry, "tls");
		assertThat(closeReasons("timestamp.tls")).contains("client", "frame_too_large", "tls_handshake", "tls_error")
			.doesNotContain("answered");
		assertThat(this.registry.find("timestamp.tls.frames.rejected").tag("reason", "unterminated").counter())
			.isNotNull();
	}

	@Test
	void aListenerThatAnswersOnConnectPublishesNeitherFrameNorTlsCloseReasons() {
		TcpMetrics.answeringOnConnect(this.registry, "rfc868");
		assertThat(closeReasons("timestamp.rfc868")).contains("answered", "clock_unsynchronized", "client")
			.doesNotContain("frame_too_large", "tls_handshake", "tls_error");
	}

	private Set<String> closeReasons(String prefix) {
		return this.registry.find(prefix + ".connections.closed")
			.counters()
			.stream()
			.map((counter) -> counter.getId().getTag("reason"))
			.collect(Collectors.toSet());
	}

}
