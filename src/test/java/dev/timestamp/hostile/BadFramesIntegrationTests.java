package dev.timestamp.hostile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import dev.timestamp.framing.Framing;
import dev.timestamp.support.PrometheusText;
import dev.timestamp.support.Replies;
import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized and malformed requests in every framing: the documented error reply in that
 * framing, a closed connection, a counted metric, no stack trace in the log, and a client
 * on another connection that notices nothing.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class BadFramesIntegrationTests {

	private static final int MAX = 16;

	private static final String TOO_LARGE = "ERR frame exceeds " + MAX + " bytes";

	private static final String MALFORMED = "ERR malformed frame";

	static Stream<Arguments> badRequests() {
		return Stream.of(
				bad(Framing.LINE, "a line without an end, over the limit", ascii("x".repeat(100)), false, TOO_LARGE),
				bad(Framing.LINE, "a complete line over the limit", ascii("x".repeat(MAX + 1) + "\n"), false,
						TOO_LARGE),
				bad(Framing.CRLF, "lone LFs are payload, so this is one long line", ascii("ab\n".repeat(10)), false,
						TOO_LARGE),
				bad(Framing.STX_ETX, "a missing ETX, over the limit", ascii("\u0002" + "x".repeat(100)), false,
						TOO_LARGE),
				bad(Framing.STX_ETX, "bytes outside STX...ETX", ascii("junk\u0002ok\u0003"), false, MALFORMED),
				bad(Framing.STX_ETX, "a missing ETX at the end of input", ascii("\u0002abc"), true, MALFORMED),
				bad(Framing.LENGTH_HEADER, "a length of 2^31-1", header(Integer.MAX_VALUE), false, TOO_LARGE),
				bad(Framing.LENGTH_HEADER, "a negative length", header(-2), false, MALFORMED),
				bad(Framing.LENGTH_HEADER, "a payload cut short by the end of input", concat(header(10), ascii("abc")),
						true, MALFORMED));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("badRequests")
	void answersWithTheDocumentedErrorClosesCountsAndLeavesOthersAlone(Framing framing, String what, byte[] request,
			boolean thenEndInput, String error, CapturedOutput output) {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=" + framing.configName(),
				"--timestamp.tcp.max-frame-bytes=" + MAX);
				TcpTestClient good = server.connect();
				TcpTestClient bad = server.connect()) {
			PrometheusText before = server.scrape();
			bad.send(request);
			if (thenEndInput) {
				bad.shutdownOutput();
			}
			byte[] expected = encode(framing, error);
			assertThat(new String(bad.readExactly(expected.length), StandardCharsets.ISO_8859_1))
				.isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
			assertThat(bad.isClosedByServer()).isTrue();

			good.send(encode(framing, "still served"));
			assertStamped(unframe(framing, good), "still served");

			String reason = error.equals(TOO_LARGE) ? "too_large" : "malformed";
			Awaitility.await()
				.until(() -> server.scrape().value("timestamp_frames_rejected_total", "reason", reason)
						- before.value("timestamp_frames_rejected_total", "reason", reason) == 1);
		}
		assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Exception");
	}

	@Test
	void rawFramingAnswersALongWriteInPiecesOfAtMostTheLimit(CapturedOutput output) {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=raw",
				"--timestamp.tcp.max-frame-bytes=" + MAX); TcpTestClient client = server.connect()) {
			// raw reads at most max-frame-bytes at a time, so it has no oversized request
			client.send("x".repeat(100));
			StringBuilder replies = new StringBuilder();
			// until every byte came back (a missing one fails the read's timeout)
			while (!replies.toString().replaceAll(STAMP, "").equals("x".repeat(100))) {
				replies.append((char) client.readExactly(1)[0]);
			}
			String[] pieces = replies.toString().split(STAMP);
			assertThat(String.join("", pieces)).isEqualTo("x".repeat(100));
			assertThat(pieces).allSatisfy((piece) -> assertThat(piece.length()).isLessThanOrEqualTo(MAX));
			assertThat(server.scrape().value("timestamp_frames_rejected_total", "reason", "too_large")).isZero();
		}
		assertThat(output.getAll()).doesNotContain("\tat ");
	}

	private static final String STAMP = "\\[" + Replies.CTIME.pattern() + "\\] ";

	private static Arguments bad(Framing framing, String what, byte[] request, boolean thenEndInput, String error) {
		return Arguments.of(framing, what, request, thenEndInput, error);
	}

	private static byte[] encode(Framing framing, String text) {
		ByteBuf out = Unpooled.buffer();
		framing.encode(text.getBytes(StandardCharsets.US_ASCII), out);
		return ByteBufUtil.getBytes(out);
	}

	/** Reads one reply whose payload is at most a line's worth. */
	private static byte[] unframe(Framing framing, TcpTestClient client) {
		return switch (framing) {
			case LINE, CRLF -> client.readCrlfLine();
			case LENGTH_HEADER -> client.readExactly(ByteBuffer.wrap(client.readExactly(4)).getInt());
			case STX_ETX -> {
				byte[] framed = client.readExactly(prefixLength() + "still served".length() + 2);
				yield Arrays.copyOfRange(framed, 1, framed.length - 1);
			}
			case RAW -> client.readExactly(prefixLength() + "still served".length());
		};
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] header(int length) {
		return ByteBuffer.allocate(4).putInt(length).array();
	}

	private static byte[] concat(byte[] a, byte[] b) {
		return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
	}

}
