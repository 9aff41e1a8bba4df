package dev.timestamp.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadTimingTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ReadTiming timing = new ReadTiming(new RequestMetrics(this.registry, "tcp"));

	@Test
	void timesEveryRequestOfEveryReadOnce() {
		for (int read = 0; read < 3; read++) {
			for (int request = 0; request < 4; request++) {
				this.timing.answered(this.timing.start());
			}
			this.timing.readComplete();
		}
		assertThat(duration().count()).isEqualTo(12);
	}

	@Test
	void startsTheNextRequestOfAReadWhereThePreviousWasAnswered() throws InterruptedException {
		long first = this.timing.start();
		this.timing.answered(first);
		long second = this.timing.start();
		Thread.sleep(2);
		assertThat(this.timing.start()).isEqualTo(second);
		assertThat(second).isGreaterThanOrEqualTo(first);
	}

	@Test
	void startsAFreshClockAfterTheReadIsComplete() throws InterruptedException {
		this.timing.answered(this.timing.start());
		long inRead = this.timing.start();
		this.timing.readComplete();
		Thread.sleep(2);
		assertThat(this.timing.start()).isGreaterThan(inRead);
	}

	private Timer duration() {
		return this.registry.get("timestamp.request.duration").timer();
	}

}
