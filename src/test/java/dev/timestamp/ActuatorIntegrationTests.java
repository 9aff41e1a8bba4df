package dev.timestamp;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.timestamp.config.SettingNames;
import dev.timestamp.lifecycle.PhasedLifecycle;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.SharedServer;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Health, probes and info over real HTTP.
 */
@Timeout(60)
class ActuatorIntegrationTests {

	@RegisterExtension
	static final SharedServer server = new SharedServer("--timestamp.tcp.framing=crlf");

	@Test
	void healthShowsBothListenersUpWithTheirBoundPorts() {
		HttpResult health = server.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>json("$.status")).isEqualTo("UP");
		assertThat(health.<String>json("$.components.tcp.status")).isEqualTo("UP");
		assertThat(health.<String>json("$.components.tcp.details.address")).isEqualTo("127.0.0.1");
		assertThat(health.<Integer>json("$.components.tcp.details.port")).isEqualTo(server.tcpPort());
		assertThat(health.<String>json("$.components.tcp.details.framing")).isEqualTo("crlf");
		assertThat(health.<String>json("$.components.udp.status")).isEqualTo("UP");
		assertThat(health.<Integer>json("$.components.udp.details.port")).isEqualTo(server.udpPort());
	}

	@Test
	void healthHasExactlyTheDocumentedComponents() {
		HttpResult health = server.get("/actuator/health");
		assertThat(health.<Map<String, Object>>json("$.components")).containsOnlyKeys("livenessState", "readinessState",
				"ping", "ssl", "tcp", "udp", "clock");
	}

	@Test
	void livenessAndReadinessProbesAreEnabledOutsideKubernetes() {
		HttpResult liveness = server.get("/actuator/health/liveness");
		assertThat(liveness.status()).isEqualTo(200);
		assertThat(liveness.<String>json("$.status")).isEqualTo("UP");
		HttpResult readiness = server.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.<Map<String, Object>>json("$.components")).containsOnlyKeys("readinessState", "tcp",
				"udp");
	}

	@Test
	void infoShowsVersionBuildTimeAndTheEffectiveTransportSettings() {
		HttpResult info = server.get("/actuator/info");
		assertThat(info.status()).isEqualTo(200);
		assertThat(info.<String>json("$.build.version")).isNotBlank();
		assertThat(info.<String>json("$.build.time")).isNotBlank();
		assertThat(info.<Integer>json("$.tcp.port")).isEqualTo(server.tcpPort());
		assertThat(info.<Integer>json("$.udp.port")).isEqualTo(server.udpPort());
		// every setting, from the bound properties
		Map<String, Object> settings = info.json("$.settings");
		assertThat(flatten("timestamp", settings)).containsOnlyKeys(SettingNames.all());
		assertThat(info.<String>json("$.settings.tcp.framing")).isEqualTo("crlf");
		assertThat(info.<Integer>json("$.settings.tcp.backlog")).isEqualTo(1024);
		assertThat(info.<Integer>json("$.settings.tcp.max-frame-bytes")).isEqualTo(65536);
		assertThat(info.<String>json("$.settings.tcp.idle-timeout")).isEqualTo("5m");
		assertThat(info.<Integer>json("$.settings.io-threads")).isZero();
		assertThat(info.<String>json("$.settings.format")).isEqualTo("ctime");
		assertThat(info.<String>json("$.settings.zone")).isNotBlank();
		assertThat(info.<Boolean>json("$.settings.udp.rate-limit.enabled")).isFalse();
		assertThat(info.<String>json("$.settings.tcp.proxy-protocol.mode")).isEqualTo("off");
		assertThat(info.<List<String>>json("$.settings.tcp.proxy-protocol.trusted-sources")).isEmpty();
		assertThat(info.<String>json("$.settings.tcp.max-connection-age")).isEqualTo("0s");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> flatten(String prefix, Map<String, Object> tree) {
		Map<String, Object> flat = new java.util.TreeMap<>();
		tree.forEach((key, value) -> {
			if (value instanceof Map<?, ?> group) {
				flat.putAll(flatten(prefix + "." + key, (Map<String, Object>) group));
			}
			else {
				flat.put(prefix + "." + key, value);
			}
		});
		return flat;
	}

	@Test
	void exposesOnlyReadOnlyEndpoints() {
		HttpResult index = server.get("/actuator");
		assertThat(index.<Map<String, Object>>json("$._links").keySet()).allSatisfy((link) -> assertThat(link)
			.matches("self|health|health-path|info|prometheus|metrics|metrics-requiredMetricName"));
		assertThat(server.get("/actuator/env").status()).isEqualTo(404);
		assertThat(server.get("/actuator/shutdown").status()).isEqualTo(404);
	}

	@Test
	void aTransportThatIsSwitchedOffDoesNotListenAndHasNoHealthComponent() throws Exception {
		int freePort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			freePort = probe.getLocalPort();
		}
		try (RunningServer udpOnly = RunningServer.start("--timestamp.tcp.enabled=false",
				"--timestamp.tcp.port=" + freePort)) {
			HttpResult health = udpOnly.get("/actuator/health");
			assertThat(health.<Map<String, Object>>json("$.components")).doesNotContainKey("tcp").containsKey("udp");
			assertThat(udpOnly.get("/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(udpOnly.get("/actuator/info").<Boolean>json("$.tcp.enabled")).isFalse();
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), freePort).close());
		}
	}

	@Test
	void healthIsDownWithTheReasonWhenAListenerHasStopped() {
		try (RunningServer stopping = RunningServer.start()) {
			stopping.context().getBean(NettyTcpServerConnectionFactory.class).stop();
			HttpResult health = stopping.get("/actuator/health");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.<String>json("$.components.tcp.status")).isEqualTo("DOWN");
			assertThat(health.<String>json("$.components.tcp.details.reason")).isEqualTo("stopped");
			assertThat(stopping.get("/actuator/health/readiness").status()).isEqualTo(503);
			assertThat(stopping.get("/actuator/health/liveness").status()).isEqualTo(200);
		}
	}

	@Test
	void readinessTurnsOutOfServiceAsSoonAsShutdownBegins() throws Exception {
		RunningServer closing = RunningServer.start("--spring.main.sources=" + HoldShutdown.class.getName());
		HoldShutdown hold = closing.context().getBean(HoldShutdown.class);
		int httpPort = closing.httpPort();
		Thread closer = new Thread(closing::close);
		closer.start();
		try {
			assertThat(hold.reached.await(30, TimeUnit.SECONDS)).isTrue();
			// Shutdown has begun, but the listeners are still up.
			HttpResult readiness = HttpResult.get(httpPort, "/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(503);
			assertThat(readiness.<String>json("$.status")).isEqualTo("OUT_OF_SERVICE");
			assertThat(readiness.<String>json("$.components.tcp.status")).isEqualTo("UP");
			assertThat(HttpResult.get(httpPort, "/actuator/health/liveness").status()).isEqualTo(200);
		}
		finally {
			hold.release.countDown();
			closer.join(30_000);
		}
	}

	/**
	 * Holds the shutdown right after the first lifecycle phase, while everything else
	 * still runs.
	 */
	static class HoldShutdown extends PhasedLifecycle {

		final CountDownLatch reached = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		HoldShutdown() {
			super(Integer.MAX_VALUE - 1);
		}

		@Override
		public void stop() {
			this.reached.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			super.stop();
		}

	}

}
