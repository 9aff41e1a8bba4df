package dev.timestamp.tcp.tls;

import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLHandshakeException;

import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.HandshakeOutcome;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TlsHandshakeGate} on an embedded channel: a connection is active for the rest of
 * the pipeline only after its handshake, and a failed handshake is counted and closed.
 */
class TlsHandshakeGateTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TcpMetrics metrics = new TcpMetrics(this.registry, "tls");

	@Test
	void holdsTheConnectionBackUntilTheHandshakeSucceeds() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new TlsHandshakeGate(this.metrics));
		assertThat(connection.recorder.active).isFalse();
		connection.channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
		assertThat(connection.recorder.active).isTrue();
		assertThat(handshakes("ok")).isEqualTo(1);
	}

	@Test
	void closesAndCountsAFailedHandshake() {
		EmbeddedConnection connection = EmbeddedConnection.from("198.51.100.1", 5000,
				new TlsHandshakeGate(this.metrics));
		connection.channel.pipeline()
			.fireUserEventTriggered(new SslHandshakeCompletionEvent(new NotSslRecordException("plaintext")));
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.recorder.active).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.TLS_HANDSHAKE);
		assertThat(handshakes("not_tls")).isEqualTo(1);
	}

	@Test
	void namesWhyAHandshakeFailed() {
		assertThat(HandshakeOutcome.of(new SslHandshakeTimeoutException("late"))).isEqualTo(HandshakeOutcome.TIMEOUT);
		assertThat(HandshakeOutcome.of(new ClosedChannelException())).isEqualTo(HandshakeOutcome.CLOSED);
		assertThat(HandshakeOutcome.of(new SSLHandshakeException("Empty client certificate chain")))
			.isEqualTo(HandshakeOutcome.CERTIFICATE);
		assertThat(HandshakeOutcome
			.of(new SSLHandshakeException("Client requested protocol TLSv1.1 is not enabled or supported")))
			.isEqualTo(HandshakeOutcome.PROTOCOL);
	}

	private double handshakes(String outcome) {
		return this.registry.get("timestamp.tls.handshakes").tag("outcome", outcome).counter().count();
	}

}
