package dev.timestamp.config;

import java.io.IOException;

import dev.timestamp.support.FreePorts;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Each invalid setting stops the start-up with a message that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidConfigurationTests {

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			timestamp.tcp.port              | 70000
			timestamp.udp.port              | -1
			timestamp.tcp.framing           | morse
			timestamp.tcp.transport         | uring
			timestamp.tcp.max-frame-bytes   | -5
			timestamp.tcp.max-connections   | 0
			timestamp.tcp.backlog           | 0
			timestamp.tcp.idle-timeout      | 0s
			timestamp.tcp.max-queued-reply-bytes | 10
			timestamp.udp.max-datagram-bytes | 70000
			timestamp.udp.min-source-port   | 65536
			timestamp.udp.rate-limit.requests-per-second | 0
			timestamp.udp.rate-limit.burst  | -1
			timestamp.udp.rate-limit.max-tracked-sources | 0
			timestamp.zone                  | Mars/Olympus_Mons
			timestamp.format                | yyyy-MM-dd {{
			timestamp.bind-address          | 999.1.1.1
			timestamp.io-threads            | -1
			timestamp.tcp.max-connections-per-source | -1
			timestamp.tcp.max-connection-age | -1s
			timestamp.tcp.memory-pressure-percent | 100
			timestamp.tcp.proxy-protocol.mode | sometimes
			timestamp.tcp.proxy-protocol.trusted-sources | 10.0.0.0/33
			timestamp.tcp.proxy-protocol.header-timeout | 0s
			timestamp.tcp.proxy-protocol.max-tlv-bytes | 70000
			timestamp.tls.port              | 70000
			timestamp.tls.client-auth       | sometimes
			timestamp.tls.handshake-timeout | 0s
			timestamp.tls.engine          | nss
			timestamp.rfc868.port           | 70000
			timestamp.daytime.port          | -1
			timestamp.clock.max-offset      | 0s
			timestamp.clock.ntp.interval    | 500ms
			timestamp.clock.ntp.timeout     | 0s
			timestamp.clock.ntp.servers     | ntp.example.org:port
			timestamp.tcp.no-such-setting   | 1
			""")
	void stopsTheStartUpNamingTheProperty(String property, String value, CapturedOutput output) {
		assertThatException().isThrownBy(() -> RunningServer.start("--" + property + "=" + value).close());
		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void refusesToStartWithBothTransportsDisabled(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> RunningServer.start("--timestamp.tcp.enabled=false", "--timestamp.udp.enabled=false").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("timestamp.tcp.enabled, timestamp.udp.enabled and timestamp.tls.enabled are all false");
	}

	@Test
	void refusesAProxyProtocolModeWithoutTrustedSources(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> RunningServer.start("--timestamp.tcp.proxy-protocol.mode=required").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("timestamp.tcp.proxy-protocol.trusted-sources");
	}

	@Test
	void refusesTrustedSourcesWhileTheProxyProtocolIsOff(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> RunningServer.start("--timestamp.tcp.proxy-protocol.trusted-sources=10.0.0.0/8").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("timestamp.tcp.proxy-protocol.trusted-sources")
			.contains("timestamp.tcp.proxy-protocol.mode=optional or required");
	}

	@Test
	void namesAMisspeltSettingAndTheNearestValidOnes(CapturedOutput output) {
		assertThatException().isThrownBy(() -> RunningServer.start("--timestamp.tcp.portt=1").close());
		assertThat(output).contains("Unknown setting(s):")
			.contains("timestamp.tcp.portt=\"1\"")
			.contains("did you mean timestamp.tcp.port")
			.doesNotContain("Bindable@");
	}

	@Test
	void refusesOnePortForTheTcpAndTheTlsListener(CapturedOutput output) throws IOException {
		int shared = FreePorts.next();
		assertThatException().isThrownBy(
				() -> RunningServer
					.start("--timestamp.tcp.port=" + shared, "--timestamp.tls.enabled=true",
							"--timestamp.tls.bundle=any", "--timestamp.tls.port=" + shared)
					.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("timestamp.tls.port=\"" + shared + "\"")
			.contains("must differ from timestamp.tcp.port");
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			server.port            | 70000
			server.port            | -1
			management.server.port | 70000
			management.server.port | -2
			""")
	void stopsTheStartUpOnAnHttpPortOutOfRangeBeforeTheListenersOpen(String property, String value,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> RunningServer.start("--" + property + "=" + value).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'" + property + "'")
			.doesNotContain("TCP listening");
	}

	@ParameterizedTest(name = "the HTTP port given as the actuator's own: {0}")
	@ValueSource(booleans = { false, true })
	void refusesAnActuatorAddressWithoutAPortOfItsOwn(boolean httpPortAsItsOwn, CapturedOutput output)
			throws IOException {
		int httpPort = FreePorts.next();
		String[] args = httpPortAsItsOwn
				? new String[] { "--management.server.address=127.0.0.1", "--server.port=" + httpPort,
						"--management.server.port=" + httpPort }
				: new String[] { "--management.server.address=127.0.0.1" };
		assertThatException().isThrownBy(() -> RunningServer.start(args).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'management.server.address'")
			.contains("set management.server.port")
			.doesNotContain("TCP listening");
	}

}
