package dev.timestamp.tcp.admission;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.connection.TcpMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed accept on the listening socket is counted, logged at most once a minute, and
 * pauses accepting briefly; accepting resumes by itself.
 */
@ExtendWith(OutputCaptureExtension.class)
class AcceptFailuresTests {

	@Test
	void countsEachFailureLogsOnceAMinuteAndResumesAccepting(CapturedOutput output) {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		EmbeddedChannel listener = new EmbeddedChannel(new AcceptFailures(new TcpMetrics(registry)));
		for (int i = 0; i < 100; i++) {
			listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
		}
		assertThat(registry.get("timestamp.tcp.accept.failures").counter().count()).isEqualTo(100);
		assertThat(output.toString().lines().filter((line) -> line.contains("Could not accept"))).hasSize(1);
		assertThat(listener.config().isAutoRead()).isFalse();
		listener.advanceTimeBy(AcceptFailures.PAUSE_MILLIS, TimeUnit.MILLISECONDS);
		listener.runScheduledPendingTasks();
		assertThat(listener.config().isAutoRead()).isTrue();
		listener.finishAndReleaseAll();
	}

}
