package dev.timestamp;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RawHttp;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators can move the actuator to its own address and port, and switch logs to JSON,
 * as Spring Boot documents.
 */
@Timeout(60)
class ManagementServerIntegrationTests {

	@Test
	void servesTheActuatorOnASeparateManagementPort() {
		try (RunningServer server = RunningServer.start("--management.server.port=0",
				"--management.server.address=127.0.0.1")) {
			int managementPort = Integer
				.parseInt(server.context().getEnvironment().getRequiredProperty("local.management.port"));
			assertThat(managementPort).isNotEqualTo(server.httpPort());
			assertThat(HttpResult.get(managementPort, "/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(HttpResult.get(managementPort, "/actuator/prometheus").body())
				.contains("timestamp_requests_total");
			assertThat(HttpResult.get(server.httpPort(), "/actuator/health").status()).isEqualTo(404);
		}
	}

	@Test
	void boundsASeparateManagementPortAsTheApplicationPort() throws Exception {
		try (RunningServer server = RunningServer.start("--management.server.port=0",
				"--management.server.address=127.0.0.1", "--timestamp.http.request-timeout=500ms")) {
			int managementPort = Integer
				.parseInt(server.context().getEnvironment().getRequiredProperty("local.management.port"));
			assertThat(RawHttp.closedByServer(managementPort, "")).isTrue();
			assertThat(RawHttp.exchange(managementPort, "\u0016\u0003\u0001garbage\r\n\r\n"))
				.startsWith("HTTP/1.1 400 ");
			PrometheusText metrics = PrometheusText.scrape(managementPort);
			assertThat(metrics.value("timestamp_http_connections_timed_out_total")).isEqualTo(1);
			assertThat(metrics.value("timestamp_http_requests_rejected_total", "reason", "malformed")).isEqualTo(1);
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void writesStructuredJsonLogsWhenAsked(CapturedOutput output) {
		try (RunningServer server = RunningServer.start("--logging.structured.format.console=ecs")) {
			assertThat(output.getOut().lines().filter((line) -> line.contains("TCP listening on"))).singleElement()
				.satisfies((line) -> {
					assertThat(JsonPath.<String>read(line, "$.log.level")).isEqualTo("INFO");
					assertThat(JsonPath.<String>read(line, "$.message")).startsWith("TCP listening on 127.0.0.1:");
				});
		}
	}

}
