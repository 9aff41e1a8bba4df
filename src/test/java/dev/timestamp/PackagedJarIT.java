package dev.timestamp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.timestamp.support.ApplicationCommand;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PackagedJar;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started as the README starts it, {@code java -jar}, on the build's own
 * JDK: it uses its Spring AOT output unless told not to, while a build directory starts
 * the ordinary way.
 */
@Timeout(180)
class PackagedJarIT {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	@Test
	void startsFromItsAheadOfTimeOutputByDefault() throws Exception {
		try (ServerProcess server = ServerProcess.launch(javaJar(List.of()), Path.of(".").toFile())) {
			int tcpPort = Integer.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", STARTUP));
			assertThat(server.output()).contains("Starting AOT-processed TimestampServiceApplication");
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				client.send("packaged\n");
				assertStamped(client.readCrlfLine(), "packaged");
			}
		}
	}

	@Test
	void startsTheOrdinaryWayWhenAheadOfTimeIsSwitchedOff() throws Exception {
		try (ServerProcess server = ServerProcess.launch(javaJar(List.of("-Dspring.aot.enabled=false")),
				Path.of(".").toFile())) {
			server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", STARTUP);
			assertThat(server.output()).contains("Starting TimestampServiceApplication")
				.doesNotContain("AOT-processed");
		}
	}

	@Test
	void servesTheActuatorOnAPortOfItsOwnWhenAskedTo() throws Exception {
		// The AOT output was built with the actuator on server.port; a port of its own
		// needs the ordinary start, in which Spring Boot creates the management context.
		List<String> command = javaJar(List.of());
		command.add("--management.server.port=0");
		try (ServerProcess server = ServerProcess.launch(command, Path.of(".").toFile())) {
			server.await("Started TimestampServiceApplication", STARTUP);
			assertThat(server.output()).contains("management.server.port")
				.contains("Starting TimestampServiceApplication");
			List<Integer> httpPorts = server.output()
				.lines()
				.filter((line) -> line.contains("Netty started on port"))
				.map((line) -> Integer.valueOf(line.replaceAll(".*Netty started on port (\\d+).*", "$1")))
				.toList();
			assertThat(httpPorts).hasSize(2);
			List<Integer> readiness = new ArrayList<>();
			for (int port : httpPorts) {
				readiness.add(HttpResult.get(port, "/actuator/health/readiness").status());
			}
			assertThat(readiness).containsExactlyInAnyOrder(200, 404);
		}
	}

	@Test
	void aBuildDirectoryStartsTheOrdinaryWay() throws Exception {
		try (ServerProcess server = ServerProcess.start(List.of())) {
			server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", STARTUP);
			assertThat(server.output()).contains("Starting TimestampServiceApplication")
				.doesNotContain("AOT-processed");
		}
	}

	private static List<String> javaJar(List<String> jvmOptions) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", PackagedJar.path().toString()));
		command.addAll(ApplicationCommand.TEST_ARGUMENTS);
		return command;
	}

}
