package dev.timestamp;

import dev.timestamp.support.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Help and misspelt commands print usage and exit without binding anything: a typo must
 * not open public listeners. Each runs the jar's main class as its own process.
 */
@Timeout(120)
class CommandLineProcessTests {

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-h", "help" })
	void printsUsageAndExitsZeroForHelp(String help) throws Exception {
		JavaProcess run = JavaProcess.run(help);
		assertThat(run.exitCode()).isZero();
		assertThat(run.output()).contains("Usage:").contains("client").contains("bench").doesNotContain("listening");
	}

	@Test
	void printsUsageAndExitsTwoForAMisspeltCommand() throws Exception {
		JavaProcess run = JavaProcess.run("clinet", "tcp");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.output()).contains("clinet").contains("Usage:").doesNotContain("listening");
	}

	@Test
	void printsTheVersion() throws Exception {
		JavaProcess run = JavaProcess.run("--version");
		assertThat(run.exitCode()).isZero();
		assertThat(run.output()).startsWith("timestamp-service ").doesNotContain("listening");
	}

}
