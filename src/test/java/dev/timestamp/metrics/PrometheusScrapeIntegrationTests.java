package dev.timestamp.metrics;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.timestamp.support.FreePorts;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.Installed;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus (Debian's package) scrapes the service: what it stores equals the
 * traffic sent, and {@code promtool check metrics} has nothing to say about the service's
 * own meters.
 */
@Timeout(120)
class PrometheusScrapeIntegrationTests {

	@TempDir
	Path work;

	@Test
	void prometheusStoresExactlyTheTrafficSent() throws Exception {
		Path prometheus = Installed.program("prometheus", "prometheus");
		try (RunningServer server = RunningServer.start()) {
			int webPort = FreePorts.next();
			Path config = this.work.resolve("prometheus.yml");
			Files.writeString(config, """
					global:
					  scrape_interval: 1s
					scrape_configs:
					  - job_name: timestamp-service
					    metrics_path: /actuator/prometheus
					    static_configs:
					      - targets: ['127.0.0.1:%d']
					""".formatted(server.httpPort()));
			Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
					"--storage.tsdb.path=" + this.work.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort)
				.redirectErrorStream(true)
				.redirectOutput(this.work.resolve("prometheus.log").toFile())
				.start();
			try {
				for (int i = 0; i < 37; i++) {
					try (TcpTestClient client = server.connect()) {
						client.send("scraped " + i + "\n");
						assertStamped(client.readCrlfLine(), "scraped " + i);
					}
				}
				for (int i = 0; i < 23; i++) {
					assertStamped(Udp.exchange(server.udpPort(), new byte[] { 'u' }), "u");
				}
				// Until Prometheus is ready its API answers 503 in plain text: retried
				// too.
				Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
					assertThat(query(webPort, "timestamp_requests_total{transport=\"tcp\",outcome=\"ok\"}"))
						.isEqualTo("37");
					assertThat(query(webPort, "timestamp_requests_total{transport=\"udp\",outcome=\"ok\"}"))
						.isEqualTo("23");
					assertThat(query(webPort, "timestamp_tcp_connections_opened_total")).isEqualTo("37");
					assertThat(query(webPort, "timestamp_request_duration_seconds_count{transport=\"udp\"}"))
						.isEqualTo("23");
				});
				assertThat(query(webPort, "up{job=\"timestamp-service\"}")).isEqualTo("1");
			}
			finally {
				process.destroy();
				process.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void promtoolFindsNothingToSayAboutTheServicesMeters() throws Exception {
		Path promtool = Installed.program("promtool", "prometheus");
		try (RunningServer server = RunningServer.start()) {
			String scrape = HttpResult.get(server.httpPort(), "/actuator/prometheus").body();
			Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
				.start();
			check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
			check.getOutputStream().close();
			String findings = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
			List<String> ours = findings.lines().filter((line) -> line.contains("timestamp_")).toList();
			assertThat(ours).as(findings).isEmpty();
			// promtool did read the text: it would have flagged a meter of Micrometer's
			// own
			assertThat(scrape).contains("timestamp_requests_total");
		}
	}

	private static String query(int port, String promql) {
		HttpResult result = HttpResult.get(port,
				"/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		List<String> values = JsonPath.read(result.body(), "$.data.result[*].value[1]");
		return (values.size() == 1) ? values.get(0) : values.toString();
	}

}
