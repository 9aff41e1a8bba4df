package dev.timestamp.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.jayway.jsonpath.JsonPath;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.timestamp.support.HelmChart;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The chart, linted and rendered with Helm embedded in a library, its manifests parsed
 * into Kubernetes API types. No cluster is needed.
 */
class HelmChartTests {

	private static final Path CHART = HelmChart.CHART;

	@Test
	void theChartsAppVersionIsTheProjectVersion() throws Exception {
		Properties build = new Properties();
		try (var in = HelmChartTests.class.getResourceAsStream("/META-INF/build-info.properties")) {
			build.load(in);
		}
		assertThat(Files.readString(CHART.resolve("Chart.yaml")))
			.contains("appVersion: \"" + build.getProperty("build.version") + "\"");
	}

	@Test
	void lintsCleanInStrictMode() {
		LintResult lint = new Helm(CHART).lint().strict().call();
		assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
	}

	@Test
	void rendersADeploymentWithProbesSecurityAndGracefulShutdown() {
		List<HasMetadata> manifests = HelmChart.render();
		Deployment deployment = only(manifests, Deployment.class);
		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		Container container = pod.getContainers().get(0);
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getStartupProbe()).isNotNull();
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(container.getVolumeMounts()).anyMatch((mount) -> mount.getMountPath().equals("/tmp"));
		assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).contains("sh", "-c", "sleep 5");
		// Longer than the preStop sleep plus the shutdown phase (5 + 20 s).
		assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(25);
		// no TIMESTAMP_… service-link variables from a Service of that name
		assertThat(pod.getEnableServiceLinks()).isFalse();
		assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
		assertThat(container.getPorts()).extracting((port) -> port.getContainerPort() + "/" + port.getProtocol())
			.containsExactlyInAnyOrder("21567/TCP", "21567/UDP", "8080/TCP");
		assertNoUnknownFields(deployment.getAdditionalProperties(), deployment.getSpec().getAdditionalProperties(),
				pod.getAdditionalProperties(), container.getAdditionalProperties());
	}

	@Test
	void exposesTheSamePortOverTcpAndUdpPlusTheManagementPort() {
		Service service = only(HelmChart.render(), Service.class);
		assertThat(service.getSpec().getPorts())
			.extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getProtocol)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("timestamp-tcp", 21567, "TCP"),
					org.assertj.core.groups.Tuple.tuple("timestamp-udp", 21567, "UDP"),
					org.assertj.core.groups.Tuple.tuple("http", 8080, "TCP"));
		assertNoUnknownFields(service.getAdditionalProperties(), service.getSpec().getAdditionalProperties());
	}

	@Test
	void passesEveryTimestampSettingToTheApplication() {
		String properties = only(HelmChart.render("timestamp.tcp.framing", "crlf", "timestamp.udp.maxDatagramBytes",
				"1200", "timestamp.udp.rateLimit.enabled", "true"), ConfigMap.class)
			.getData()
			.get("application.properties");
		assertThat(properties).contains("timestamp.tcp.framing=crlf", "timestamp.udp.max-datagram-bytes=1200",
				"timestamp.tcp.max-frame-bytes=64KB", "timestamp.zone=UTC",
				"spring.lifecycle.timeout-per-shutdown-phase=20s", "timestamp.udp.rate-limit.enabled=true",
				"timestamp.udp.rate-limit.requests-per-second=100", "timestamp.tcp.memory-pressure-percent=75");
	}

	@Test
	void passesThePROXYProtocolSettingsBehindALoadBalancer() {
		String properties = only(
				HelmChart.render("timestamp.tcp.proxyProtocol.mode", "required",
						"timestamp.tcp.proxyProtocol.trustedSources[0]", "10.0.0.0/16",
						"timestamp.tcp.proxyProtocol.trustedSources[1]", "fd00::/8",
						"timestamp.tcp.maxConnectionsPerSource", "50", "timestamp.tcp.maxConnectionAge", "30m"),
				ConfigMap.class)
			.getData()
			.get("application.properties");
		assertThat(properties).contains("timestamp.tcp.proxy-protocol.mode=required",
				"timestamp.tcp.proxy-protocol.trusted-sources=10.0.0.0/16,fd00::/8",
				"timestamp.tcp.max-connections-per-source=50", "timestamp.tcp.max-connection-age=30m");
	}

	@Test
	void servesTlsWithTheCertificateFromASecretReloadedOnRotation() {
		List<HasMetadata> manifests = HelmChart.render("timestamp.tls.enabled", "true", "tls.secretName", "ts-tls",
				"networkPolicy.enabled", "true");
		String properties = only(manifests, ConfigMap.class).getData().get("application.properties");
		assertThat(properties).contains("timestamp.tls.enabled=true", "timestamp.tls.bundle=timestamp",
				"spring.ssl.bundle.pem.timestamp.keystore.certificate=file:/app/tls/tls.crt",
				"spring.ssl.bundle.pem.timestamp.keystore.private-key=file:/app/tls/tls.key",
				"spring.ssl.bundle.pem.timestamp.reload-on-update=true");
		PodSpec pod = only(manifests, Deployment.class).getSpec().getTemplate().getSpec();
		assertThat(pod.getVolumes()).anySatisfy((volume) -> {
			assertThat(volume.getName()).isEqualTo("tls");
			assertThat(volume.getSecret().getSecretName()).isEqualTo("ts-tls");
		});
		assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy((mount) -> {
			assertThat(mount.getMountPath()).isEqualTo("/app/tls");
			assertThat(mount.getReadOnly()).isTrue();
		});
		assertThat(pod.getContainers().get(0).getPorts())
			.anySatisfy((port) -> assertThat(port.getContainerPort()).isEqualTo(21568));
		assertThat(only(manifests, Service.class).getSpec().getPorts()).extracting(ServicePort::getName)
			.contains("timestamp-tls");
		assertThat(only(manifests, NetworkPolicy.class).getSpec().getIngress().get(0).getPorts())
			.anySatisfy((port) -> assertThat(port.getPort().getIntVal()).isEqualTo(21568));
		assertThatException().isThrownBy(() -> HelmChart.render("timestamp.tls.enabled", "true"))
			.withMessageContaining("tls.secretName");
	}

	@Test
	void servesTimeAndDaytimeOnHighPodPortsBehindTheirOwnServicePorts() {
		List<HasMetadata> manifests = HelmChart.render("timestamp.rfc868.enabled", "true", "timestamp.daytime.enabled",
				"true", "networkPolicy.enabled", "true");
		assertThat(
				only(manifests, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
			.extracting((port) -> port.getName() + " " + port.getContainerPort() + "/" + port.getProtocol())
			.contains("time-tcp 10037/TCP", "time-udp 10037/UDP", "daytime-tcp 10013/TCP", "daytime-udp 10013/UDP");
		assertThat(only(manifests, Service.class).getSpec().getPorts())
			.extracting((port) -> port.getName() + " " + port.getPort() + "->" + port.getTargetPort().getStrVal() + "/"
					+ port.getProtocol())
			.contains("time-tcp 37->time-tcp/TCP", "time-udp 37->time-udp/UDP", "daytime-tcp 13->daytime-tcp/TCP",
					"daytime-udp 13->daytime-udp/UDP");
		assertThat(only(manifests, NetworkPolicy.class).getSpec().getIngress().get(0).getPorts())
			.extracting((port) -> port.getPort().getIntVal() + "/" + port.getProtocol())
			.contains("10037/TCP", "10037/UDP", "10013/TCP", "10013/UDP");
		assertThat(only(HelmChart.render(), Service.class).getSpec().getPorts()).extracting(ServicePort::getName)
			.doesNotContain("time-tcp", "daytime-tcp");
	}

	@Test
	void aLoadBalancerCanKeepClientAddresses() {
		Service service = only(
				HelmChart.render("service.type", "LoadBalancer", "service.externalTrafficPolicy", "Local"),
				Service.class);
		assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
		assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
	}

	@Test
	void aServiceCanBeDualStack() {
		Service service = only(HelmChart.render("service.ipFamilyPolicy", "PreferDualStack", "service.ipFamilies[0]",
				"IPv6", "service.ipFamilies[1]", "IPv4"), Service.class);
		assertThat(service.getSpec().getIpFamilyPolicy()).isEqualTo("PreferDualStack");
		assertThat(service.getSpec().getIpFamilies()).containsExactly("IPv6", "IPv4");
		Service byDefault = only(HelmChart.render(), Service.class);
		assertThat(byDefault.getSpec().getIpFamilyPolicy()).isNull();
		assertThat(byDefault.getSpec().getIpFamilies()).isEmpty();
	}

	@Test
	void theSchemaRejectsBadValues() {
		for (String[] bad : new String[][] { { "timestamp.tcp.port", "70000" }, { "timestamp.tcp.framing", "morse" },
				{ "service.type", "Ingress" }, { "timestamp.udp.maxDatagramBytes", "70000" },
				{ "timestamp.udp.rateLimit.burst", "0" }, { "replicaCont", "3" }, { "service.portt", "1" },
				{ "metrics.serviceMonitor.enabeld", "true" }, { "timestamp.tcp.proxyProtocol.mode", "sometimes" },
				{ "timestamp.tcp.proxyProtocol.trustedSources[0]", "example.com" },
				{ "timestamp.tcp.maxConnectionsPerSource", "-1" } }) {
			assertThatException().as(bad[0] + "=" + bad[1])
				.isThrownBy(() -> HelmChart.render(bad[0], bad[1]))
				.withMessageContaining("schema");
		}
	}

	@Test
	void refusesAGracePeriodShorterThanTheShutdown() {
		assertThatException().isThrownBy(() -> HelmChart.render("terminationGracePeriodSeconds", "10"))
			.withMessageContaining("terminationGracePeriodSeconds");
	}

	@Test
	void refusesTwoTcpPortsThatAreTheSame() {
		assertThatException().isThrownBy(() -> HelmChart.render("managementPort", "21567"))
			.withMessageContaining("managementPort (21567) must differ from timestamp.tcp.port");
		assertThatException()
			.isThrownBy(() -> HelmChart.render("timestamp.tls.enabled", "true", "tls.secretName", "ts-tls",
					"timestamp.tls.port", "21567"))
			.withMessageContaining("timestamp.tls.port (21567) must differ from timestamp.tcp.port");
		assertThatException().isThrownBy(() -> HelmChart.render("service.httpPort", "21567"))
			.withMessageContaining("service.httpPort (21567) must differ from service.port");
		assertThatException()
			.isThrownBy(() -> HelmChart.render("timestamp.tls.enabled", "true", "tls.secretName", "ts-tls",
					"service.tlsPort", "8080"))
			.withMessageContaining("service.tlsPort (8080) must differ from service.httpPort");
	}

	@Test
	void refusesClientCertificatesWithoutTheSecretsAuthority() {
		assertThatException()
			.isThrownBy(() -> HelmChart.render("timestamp.tls.enabled", "true", "tls.secretName", "ts-tls",
					"timestamp.tls.clientAuth", "need"))
			.withMessageContaining("tls.trustSecretCa");
		assertThat(HelmChart.render("timestamp.tls.enabled", "true", "tls.secretName", "ts-tls",
				"timestamp.tls.clientAuth", "need", "tls.trustSecretCa", "true"))
			.isNotEmpty();
	}

	@Test
	void probesHaveTimeoutsABusyJvmSurvivesAndAreValues() {
		Container container = only(HelmChart.render(), Deployment.class).getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0);
		// The kubelet's default is 1 s.
		assertThat(container.getLivenessProbe().getTimeoutSeconds()).isEqualTo(5);
		assertThat(container.getReadinessProbe().getTimeoutSeconds()).isEqualTo(3);
		assertThat(container.getStartupProbe().getTimeoutSeconds()).isEqualTo(3);
		Container tuned = only(HelmChart.render("probes.liveness.timeoutSeconds", "10",
				"probes.readiness.periodSeconds", "2", "probes.startup.failureThreshold", "120"), Deployment.class)
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0);
		assertThat(tuned.getLivenessProbe().getTimeoutSeconds()).isEqualTo(10);
		assertThat(tuned.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(tuned.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
		assertThat(tuned.getStartupProbe().getFailureThreshold()).isEqualTo(120);
		assertThatException().isThrownBy(() -> HelmChart.render("probes.liveness.timeoutSecond", "10"));
	}

	@Test
	void refusesAProxyProtocolModeAndTrustedSourcesOneWithoutTheOther() {
		assertThatException().isThrownBy(() -> HelmChart.render("timestamp.tcp.proxyProtocol.mode", "optional"))
			.withMessageContaining("timestamp.tcp.proxyProtocol.trustedSources");
		assertThatException()
			.isThrownBy(() -> HelmChart.render("timestamp.tcp.proxyProtocol.trustedSources[0]", "10.0.0.0/8"))
			.withMessageContaining("timestamp.tcp.proxyProtocol.mode=off");
	}

	@Test
	void rendersNoOptionalResourceByDefault() {
		assertThat(HelmChart.render()).extracting(HasMetadata::getKind)
			.containsExactlyInAnyOrder("ConfigMap", "Service", "Deployment");
		assertThat(new Helm(CHART).template().withName("ts").call()).doesNotContain("grafana_dashboard");
	}

	@Test
	void rendersEveryOptionalResourceWhenAskedFor() {
		List<HasMetadata> manifests = HelmChart.render("autoscaling.enabled", "true", "podDisruptionBudget.enabled",
				"true", "metrics.serviceMonitor.enabled", "true", "metrics.scrapeAnnotations", "true",
				"networkPolicy.enabled", "true");
		assertThat(manifests).extracting(HasMetadata::getKind)
			.contains("HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor", "NetworkPolicy");
		Deployment deployment = only(manifests, Deployment.class);
		assertThat(deployment.getSpec().getReplicas()).as("left to the autoscaler").isNull();
		assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", "/actuator/prometheus");
		LintResult lint = new Helm(CHART).lint().strict().call();
		assertThat(lint.isFailed()).isFalse();
	}

	@Test
	void everyRenderedManifestUsesOnlyFieldsTheKubernetesApiKnows() {
		List<HasMetadata> manifests = HelmChart.render("autoscaling.enabled", "true", "podDisruptionBudget.enabled",
				"true", "metrics.serviceMonitor.enabled", "true", "metrics.scrapeAnnotations", "true",
				"networkPolicy.enabled", "true", "networkPolicy.httpFrom.matchLabels.kubernetes\\.io/metadata\\.name",
				"monitoring", "grafanaDashboard.enabled", "true", "service.type", "LoadBalancer");
		for (HasMetadata manifest : manifests) {
			if (manifest instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
				// A custom resource (ServiceMonitor): no API type to hold it to.
				continue;
			}
			assertKnownFields(manifest, manifest.getKind());
		}
	}

	/**
	 * Walks the parsed object graph: any field the API type did not know lands in
	 * additionalProperties.
	 */
	private static void assertKnownFields(Object node, String path) {
		if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
				|| node instanceof Enum<?>) {
			return;
		}
		if (node instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				assertKnownFields(list.get(i), path + "[" + i + "]");
			}
			return;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> assertKnownFields(value, path + "." + key));
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (java.lang.reflect.Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
					|| getter.getDeclaringClass() == Object.class) {
				continue;
			}
			Object value;
			try {
				value = getter.invoke(node);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
			if (getter.getName().equals("getAdditionalProperties")) {
				assertThat((Map<?, ?>) value).as("fields unknown to the Kubernetes API at " + path).isNullOrEmpty();
			}
			else {
				assertKnownFields(value, path + "." + getter.getName().substring(3));
			}
		}
	}

	@Test
	void rendersAGrafanaDashboardForTheSidecar() throws Exception {
		ConfigMap dashboard = HelmChart.render("grafanaDashboard.enabled", "true")
			.stream()
			.filter((manifest) -> manifest.getMetadata().getName().endsWith("-dashboard"))
			.map(ConfigMap.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
		String json = dashboard.getData().get("timestamp-service.json");
		List<String> expressions = JsonPath.read(json, "$.panels[*].targets[*].expr");
		assertThat(String.join("\n", expressions)).contains("timestamp_requests_total",
				"timestamp_request_duration_seconds_bucket", "timestamp_tcp_connections_active", "outcome=\"error\"",
				"jvm_memory_used_bytes", "timestamp_clock_synchronized", "timestamp_clock_max_error_seconds",
				"timestamp_clock_ntp_offset_seconds");
		// A missed scrape must not blank a point, and releases must not sum into one
		// line.
		assertThat(expressions)
			.allSatisfy((expression) -> assertThat(expression).doesNotContainPattern("\\[[0-9]+[smh]\\]")
				.contains("namespace=~\"$namespace\"")
				.contains("job=~\"$job\""));
		assertThat(String.join("\n", expressions)).contains("$__rate_interval");
		List<String> variables = JsonPath.read(json, "$.templating.list[*].name");
		assertThat(variables).contains("datasource", "namespace", "job", "pod");
	}

	@Test
	void theHelmTestPodAsksTheServiceOverTcpAndUdp(@TempDir Path copy) throws Exception {
		// helm template leaves hooks out: render a copy of the chart whose test pod is
		// not a hook.
		try (var files = Files.walk(CHART)) {
			for (Path source : (Iterable<Path>) files::iterator) {
				Path target = copy.resolve(CHART.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					String text = Files.readString(source);
					Files.writeString(target, text.replaceAll("(?m)^.*\"helm.sh/hook.*$\n", ""));
				}
			}
		}
		String yaml = new Helm(copy).template().withName("ts").call();
		List<HasMetadata> manifests = HelmChart.parse(yaml);
		Pod pod = only(manifests, Pod.class);
		String script = String.join(" ", pod.getSpec().getContainers().get(0).getCommand());
		assertThat(script).contains("client tcp --host ts-timestamp-service --port 21567")
			.contains("client udp --host ts-timestamp-service --port 21567")
			.contains("&&");
		assertThat(Files.readString(CHART.resolve("templates/tests/connection-test.yaml")))
			.contains("\"helm.sh/hook\": test");
	}

	private static <T extends HasMetadata> T only(List<HasMetadata> manifests, Class<T> type) {
		List<T> matching = manifests.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(matching).as(type.getSimpleName()).hasSize(1);
		return matching.get(0);
	}

	@SafeVarargs
	private static void assertNoUnknownFields(Map<String, Object>... additionalProperties) {
		for (Map<String, Object> unknown : additionalProperties) {
			assertThat(unknown).as("fields the Kubernetes API does not know").isEmpty();
		}
	}

}
