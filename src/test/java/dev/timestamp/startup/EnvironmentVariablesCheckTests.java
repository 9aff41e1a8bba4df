package dev.timestamp.startup;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code TIMESTAMP_*} environment variables stop the start-up.
 */
class EnvironmentVariablesCheckTests {

	@Test
	void acceptsEverySettingInBothForms() {
		assertThat(EnvironmentVariablesCheck.unknown(Map.of("TIMESTAMP_TCP_PORT", "1", "TIMESTAMP_TCP_MAXFRAMEBYTES",
				"1", "TIMESTAMP_TCP_MAX_FRAME_BYTES", "1", "TIMESTAMP_UDP_RATELIMIT_ENABLED", "true")))
			.isEmpty();
	}

	@Test
	void reportsAMisspeltSetting() {
		assertThat(EnvironmentVariablesCheck.unknown(Map.of("TIMESTAMP_TCP_PORTT", "1", "PATH", "/bin")))
			.containsExactly("TIMESTAMP_TCP_PORTT");
	}

	@Test
	void ignoresTheVariablesKubernetesSetsForAServiceNamedTimestampSomething() {
		// a release named timestamp-service: its Service's links start with TIMESTAMP_
		assertThat(EnvironmentVariablesCheck
			.unknown(Map.of("TIMESTAMP_SERVICE_SERVICE_HOST", "10.0.0.1", "TIMESTAMP_SERVICE_SERVICE_PORT", "21567",
					"TIMESTAMP_SERVICE_SERVICE_PORT_HTTP", "8080", "TIMESTAMP_SERVICE_PORT", "tcp://10.0.0.1:21567",
					"TIMESTAMP_SERVICE_PORT_21567_TCP", "tcp://10.0.0.1:21567", "TIMESTAMP_SERVICE_PORT_21567_UDP_ADDR",
					"10.0.0.1", "TIMESTAMP_SERVICE_PORT_8080_TCP_PROTO", "tcp")))
			.isEmpty();
	}

}
