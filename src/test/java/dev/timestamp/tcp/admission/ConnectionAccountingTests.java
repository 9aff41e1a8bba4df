package dev.timestamp.tcp.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import dev.timestamp.config.Cidr;
import dev.timestamp.config.ProxyProtocolMode;
import dev.timestamp.netty.DescriptorBudget;
import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.TcpMetrics;
import dev.timestamp.tcp.proxy.ProxyProtocolDetector;
import dev.timestamp.tcp.proxy.ProxyProtocolSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionAccounting}, first in every connection's pipeline, on an embedded
 * channel.
 */
class ConnectionAccountingTests {

	/** Open connections at which accepting pauses, with descriptors for one. */
	private static final int PAUSED_AT = 1 + ConnectionLimits.CLOSES_PENDING_ALLOWED;

	private final TcpMetrics metrics = new TcpMetrics(new SimpleMeterRegistry());

	private final ConnectionLimits limits = new ConnectionLimits(100, 1);

	private final ConnectionAccounting accounting = new ConnectionAccounting(this.limits, this.metrics, () -> {
	});

	/** Descriptors for one connection: accepting pauses once more are open than that. */
	private final ConnectionLimits oneDescriptor = new ConnectionLimits(1, 0);

	private final ConnectionAccounting accountingForOne = new ConnectionAccounting(this.oneDescriptor, this.metrics,
			() -> {
			});

	ConnectionAccountingTests() {
		this.oneDescriptor.allow(1, 1);
	}

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
		EmbeddedChannel listener = new EmbeddedChannel();
		List<EmbeddedChannel> accepted = new ArrayList<>();
		for (int i = 0; i < PAUSED_AT; i++) {
			assertThat(listener.config().isAutoRead()).as("accepting with %d open", i).isTrue();
			accepted.add(accept(listener));
			listener.runPendingTasks();
		}
		assertThat(listener.config().isAutoRead()).isFalse();
		accepted.get(0).close();
		listener.runPendingTasks();
		assertThat(listener.config().isAutoRead()).isTrue();
	}

	@Test
	void pausesAndResumesAcceptingOnlyOnTheListenersEventLoop() {
		// io_uring's listener cancels its accept in a task that does not look at whether
		// accepting was turned back on meanwhile: a pause and a resume made from two
		// connections' event loops could reach it in the wrong order and stop accepting.
		EmbeddedChannel listener = new EmbeddedChannel();
		List<EmbeddedChannel> accepted = new ArrayList<>();
		for (int i = 0; i < PAUSED_AT; i++) {
			accepted.add(accept(listener));
		}
		assertThat(listener.config().isAutoRead()).as("not paused from a connection's event loop").isTrue();
		listener.runPendingTasks();
		assertThat(listener.config().isAutoRead()).as("paused on the listener's").isFalse();
		accepted.get(0).close();
		assertThat(listener.config().isAutoRead()).as("not resumed from a connection's event loop").isFalse();
		listener.runPendingTasks();
		assertThat(listener.config().isAutoRead()).as("resumed on the listener's").isTrue();
	}

	@ParameterizedTest(name = "the close comes {0} the pause takes effect")
	@ValueSource(strings = { "before", "after" })
	void acceptingResumesWhenAConnectionOnAnotherEventLoopClosesWhileAcceptingIsBeingPaused(String when) {
		List<EmbeddedChannel> accepted = new ArrayList<>();
		// The connections' event loops run side by side: the first connection closes
		// while the last one accepted is pausing the listener.
		AtomicBoolean closeOnPause = new AtomicBoolean();
		Runnable close = () -> accepted.get(0).close();
		EmbeddedChannel listener = new ListenerPausedWith((autoRead, pause) -> {
			boolean closing = !autoRead && closeOnPause.getAndSet(false);
			if (closing && when.equals("before")) {
				close.run();
			}
			pause.run();
			if (closing && when.equals("after")) {
				close.run();
			}
		});
		for (int i = 0; i < PAUSED_AT; i++) {
			closeOnPause.set(i == PAUSED_AT - 1);
			accepted.add(accept(listener));
			listener.runPendingTasks();
		}
		assertThat(accepted.get(0).isOpen()).isFalse();
		assertThat(this.oneDescriptor.descriptorsExhausted()).isFalse();
		assertThat(listener.config().isAutoRead()).as("accepting, with descriptors to spare").isTrue();
	}

	@Test
	void aListenerPausedForConnectionsOfAnotherResumesAsTheyClose() {
		DescriptorBudget shared = new DescriptorBudget();
		shared.allow(1);
		ConnectionAccounting plain = new ConnectionAccounting(new ConnectionLimits(100, 0, shared), this.metrics,
				() -> {
				});
		ConnectionAccounting tls = new ConnectionAccounting(new ConnectionLimits(100, 0, shared), this.metrics, () -> {
		});
		EmbeddedChannel plainListener = new EmbeddedChannel();
		EmbeddedChannel tlsListener = new EmbeddedChannel();
		List<EmbeddedChannel> plainConnections = new ArrayList<>();
		for (int i = 0; i < PAUSED_AT - 1; i++) {
			plainConnections.add(accept(plainListener, plain));
		}
		accept(tlsListener, tls);
		tlsListener.runPendingTasks();
		assertThat(tlsListener.config().isAutoRead()).as("TLS accepting, with the descriptors taken").isFalse();
		plainConnections.get(0).close();
		tlsListener.runPendingTasks();
		assertThat(tlsListener.config().isAutoRead()).as("TLS accepting, after a plain connection closed").isTrue();
	}

	private static EmbeddedChannel accept(EmbeddedChannel listener, ConnectionAccounting accounting) {
		return new EmbeddedChannel(listener, DefaultChannelId.newInstance(), true, false, accounting);
	}

	/** A connection the listener accepted, counted with descriptors for one. */
	private EmbeddedChannel accept(EmbeddedChannel listener) {
		return new EmbeddedChannel(listener, DefaultChannelId.newInstance(), true, false, this.accountingForOne);
	}

	/**
	 * A listening channel whose {@code setAutoRead} goes through {@code around}, which
	 * runs the change itself when it calls the given {@link Runnable}.
	 */
	private static final class ListenerPausedWith extends EmbeddedChannel {

		private final BiConsumer<Boolean, Runnable> around;

		private @Nullable ChannelConfig config;

		ListenerPausedWith(BiConsumer<Boolean, Runnable> around) {
			this.around = around;
		}

		@Override
		public ChannelConfig config() {
			// Made on first use: the superclass's constructor already asks for it.
			if (this.config == null) {
				this.config = new DefaultChannelConfig(this) {
					@Override
					public ChannelConfig setAutoRead(boolean autoRead) {
						if (ListenerPausedWith.this.around == null) {
							return super.setAutoRead(autoRead);
						}
						ListenerPausedWith.this.around.accept(autoRead, () -> super.setAutoRead(autoRead));
						return this;
					}
				};
			}
			return this.config;
		}

	}

}
