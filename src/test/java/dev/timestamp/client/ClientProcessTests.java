package dev.timestamp.client;

import dev.timestamp.support.JavaProcess;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client as its own process, started the way users start it: it answers, exits with
 * the documented code and starts no server of its own.
 */
@Timeout(120)
class ClientProcessTests {

	@Test
	void runsWithoutStartingTheServer() throws Exception {
		try (RunningServer server = RunningServer.start()) {
			JavaProcess client = JavaProcess.run("client", "udp", "--port", String.valueOf(server.udpPort()), "hello");
			assertThat(client.exitCode()).isZero();
			assertThat(client.output()).matches("\\[[^\\]]+\\] hello\\n");
		}
	}

	@Test
	void exitsWith2OnAPortOutOfRange() throws Exception {
		JavaProcess client = JavaProcess.run("client", "tcp", "--port", "70000", "hello");
		assertThat(client.exitCode()).isEqualTo(2);
		assertThat(client.output()).contains("port 70000 is out of range").doesNotContain("Exception");
	}

	@Test
	void exitsWith2OnAUsageError() throws Exception {
		JavaProcess client = JavaProcess.run("client", "tcp", "--port", "not-a-number");
		assertThat(client.exitCode()).isEqualTo(2);
		assertThat(client.output()).contains("--port").doesNotContain("listening");
	}

}
