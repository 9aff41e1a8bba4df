package dev.timestamp.clock;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.timestamp.stamp.TimestampingService;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.Installed;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.UdpTestSocket;
import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.timestamp.support.PrometheusText.delta;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 868 Time and RFC 867 Daytime listeners over real sockets, read by Debian's
 * {@code rdate} as well as by hand.
 */
class TimeProtocolsIntegrationTests {

	private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
			Locale.ENGLISH);

	private static final Pattern CTIME_LINE = Pattern
		.compile("(\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d)(?: [A-Z]+)? (\\d{4})");

	private static RunningServer server;

	@BeforeAll
	static void start() {
		server = RunningServer.start("--timestamp.rfc868.enabled=true", "--timestamp.rfc868.port=0",
				"--timestamp.daytime.enabled=true", "--timestamp.daytime.port=0", "--timestamp.zone=UTC");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void rdateReadsTheTimeOverTcp() throws Exception {
		assertWithinTwoSecondsOfNow(rdate("-p", "-o", String.valueOf(server.tcpPort("rfc868")), "127.0.0.1"));
	}

	@Test
	void rdateReadsTheTimeOverUdp() throws Exception {
		assertWithinTwoSecondsOfNow(rdate("-p", "-u", "-o", String.valueOf(server.udpPort("rfc868")), "127.0.0.1"));
	}

	@Test
	void timeSendsFourBytesOnConnectAndCloses() throws IOException {
		byte[] reply = readUntilClosed("rfc868");
		assertThat(reply).hasSize(4);
		long seconds = Integer.toUnsignedLong(ByteBuffer.wrap(reply).getInt())
				- TimestampingService.SECONDS_FROM_1900_TO_1970;
		assertThat(Duration.between(Instant.ofEpochSecond(seconds), Instant.now()).abs())
			.isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void daytimeSendsOneLineOnConnectAndCloses() throws IOException {
		String reply = new String(readUntilClosed("daytime"), StandardCharsets.UTF_8);
		assertThat(reply).endsWith("\r\n").doesNotContain("\n\r");
		assertWithinTwoSecondsOfNow(reply.strip());
	}

	@Test
	void daytimeAnswersAnyDatagram() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			socket.setSoTimeout(5000);
			socket.send(new DatagramPacket(new byte[] { 'x' }, 1, InetAddress.getLoopbackAddress(),
					server.udpPort("daytime")));
			DatagramPacket reply = new DatagramPacket(new byte[512], 512);
			socket.receive(reply);
			String line = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
			assertThat(line).endsWith("\r\n");
			assertWithinTwoSecondsOfNow(line.strip());
		}
	}

	@Test
	void eachAnswerIsCountedUnderItsProtocolAndTransport() throws IOException {
		PrometheusText before = server.scrape();
		readUntilClosed("rfc868");
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			socket.send(server.udpPort("daytime"), new byte[0]).receivePayload();
		}
		PrometheusText after = server.scrape();
		assertThat(delta(before, after, "timestamp_requests_total", "transport", "rfc868-tcp", "outcome", "ok"))
			.isEqualTo(1);
		assertThat(delta(before, after, "timestamp_rfc868_connections_closed_total", "reason", "answered"))
			.isEqualTo(1);
		assertThat(delta(before, after, "timestamp_requests_total", "transport", "daytime-udp", "outcome", "ok"))
			.isEqualTo(1);
		assertThat(delta(before, after, "timestamp_requests_total", "transport", "tcp", "outcome", "ok")).isZero();
	}

	@Test
	void eachHasAHealthComponentForItsTwoTransports() {
		HttpResult health = server.get("/actuator/health/readiness");
		assertThat(health.<String>json("$.components.rfc868.components.tcp.status")).isEqualTo("UP");
		assertThat(health.<Map<String, Object>>json("$.components.rfc868.components.tcp.details"))
			.containsEntry("port", server.tcpPort("rfc868"))
			.doesNotContainKey("framing");
		assertThat(health.<String>json("$.components.rfc868.components.udp.status")).isEqualTo("UP");
		assertThat(health.<String>json("$.components.daytime.status")).isEqualTo("UP");
		HttpResult info = server.get("/actuator/info");
		assertThat(info.<Integer>json("$.rfc868.tcpPort")).isEqualTo(server.tcpPort("rfc868"));
		assertThat(info.<Integer>json("$.daytime.udpPort")).isEqualTo(server.udpPort("daytime"));
	}

	@Test
	void neitherRunsUnlessEnabled() {
		try (RunningServer plain = RunningServer.start()) {
			HttpResult health = plain.get("/actuator/health");
			assertThat(health.body()).doesNotContain("rfc868").doesNotContain("daytime");
			assertThat(plain.get("/actuator/info").<Boolean>json("$.rfc868.enabled")).isFalse();
			assertThat(plain.scrape().has("timestamp_rfc868_connections_opened_total")).isFalse();
			assertThat(plain.context()
				.getBean("rfc868ConnectionFactory", NettyTcpServerConnectionFactory.class)
				.isListening()).isFalse();
			assertThat(plain.context().getBean("daytimeUdpInbound", UdpInboundEndpoint.class).isListening()).isFalse();
		}
	}

	private static byte[] readUntilClosed(String protocol) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort(protocol))) {
			socket.setSoTimeout(5000);
			InputStream in = socket.getInputStream();
			return in.readAllBytes();
		}
	}

	/**
	 * The date rdate or daytime printed, a ctime line in UTC (rdate puts the zone's name
	 * before the year).
	 */
	private static void assertWithinTwoSecondsOfNow(String printed) {
		Matcher date = CTIME_LINE.matcher(printed);
		assertThat(date.find()).as(printed).isTrue();
		Instant read = LocalDateTime.parse(date.group(1) + " " + date.group(2), CTIME)
			.atZone(ZoneId.of("UTC"))
			.toInstant();
		assertThat(Duration.between(read, Instant.now()).abs()).as(printed).isLessThan(Duration.ofSeconds(2));
	}

	private static String rdate(String... args) throws Exception {
		Path rdate = Installed.program("rdate", "rdate");
		List<String> command = new ArrayList<>(List.of(rdate.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("TZ", "UTC");
		Process process = builder.start();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
