package dev.timestamp.management;

import java.io.IOException;
import java.util.Map;

import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RawHttp;
import dev.timestamp.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.PrometheusText.delta;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator's HTTP port is bounded as the timestamp port is: undecodable requests are
 * answered, counted and not logged; idle and half-sent connections are closed.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class HttpPortLimitsIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.http.request-timeout=500ms");

	@Test
	void answersCountsAndDoesNotLogUndecodableRequests(CapturedOutput output) throws IOException {
		PrometheusText before = server.scrape();
		for (int i = 0; i < 20; i++) {
			assertThat(RawHttp.exchange(server.httpPort(),
					"\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003garbage\r\n\r\n"))
				.startsWith("HTTP/1.1 400 ");
			assertThat(RawHttp.exchange(server.httpPort(),
					"GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"))
				.startsWith("HTTP/1.1 431 ");
		}
		PrometheusText after = server.scrape();
		assertThat(delta(before, after, "timestamp_http_requests_rejected_total", "reason", "malformed")).isEqualTo(20);
		assertThat(delta(before, after, "timestamp_http_requests_rejected_total", "reason", "too_large")).isEqualTo(20);
		assertThat(output).doesNotContain("Decoding failed").doesNotContain(" WARN ");
	}

	@Test
	void closesIdleAndHalfSentConnectionsAfterTheRequestTimeout() throws IOException {
		PrometheusText before = server.scrape();
		assertThat(RawHttp.closedByServer(server.httpPort(), "")).isTrue();
		assertThat(RawHttp.closedByServer(server.httpPort(), "GET /actuator/health HTTP/1.1\r\nHo")).isTrue();
		// After a response, the next request has the same time to arrive.
		assertThat(
				RawHttp.closedByServer(server.httpPort(), "GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n\r\n"))
			.isTrue();
		assertThat(delta(before, server.scrape(), "timestamp_http_connections_timed_out_total")).isEqualTo(3);
	}

	@Test
	void healthHasNoDiskSpaceComponent() {
		HttpResult health = server.get("/actuator/health");
		assertThat(health.<Map<String, Object>>json("$.components")).doesNotContainKey("diskSpace");
	}

	@Test
	void prometheusHasNoDiskMeters() {
		// They would show the working directory and the disk's sizes, as the health
		// component would.
		assertThat(server.get("/actuator/prometheus").body()).doesNotContain("disk_free_bytes")
			.doesNotContain("disk_total_bytes");
	}

}
