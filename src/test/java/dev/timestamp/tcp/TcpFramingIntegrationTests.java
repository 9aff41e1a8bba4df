package dev.timestamp.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.timestamp.support.RunningServer;
import dev.timestamp.support.TcpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.timestamp.support.Replies.assertStamped;
import static dev.timestamp.support.Replies.prefixLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A round trip in each framing mode other than the default (covered by
 * {@link TcpProtocolIntegrationTests}).
 */
@Timeout(60)
class TcpFramingIntegrationTests {

	@Test
	void crlfFramingKeepsALoneLfAsPayload() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=crlf");
				TcpTestClient client = server.connect()) {
			client.send("one\ntwo\r\nthree\r\n");
			assertStamped(client.readCrlfLine(), "one\ntwo");
			assertStamped(client.readCrlfLine(), "three");
		}
	}

	@Test
	void rawFramingAnswersEachChunkWithoutATerminator() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=raw");
				TcpTestClient client = server.connect()) {
			client.send("no newline here");
			assertStamped(client.readExactly(prefixLength() + 15), "no newline here");
			client.send("second");
			assertStamped(client.readExactly(prefixLength() + 6), "second");
		}
	}

	@Test
	void rawFramingAnswersOneLongWriteAsOneRequest() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=raw");
				TcpTestClient client = server.connect()) {
			String longWrite = "x".repeat(10_000);
			client.send(longWrite);
			assertStamped(client.readExactly(prefixLength() + 10_000), longWrite);
			// Had the write been cut into two requests, a second stamped piece would come
			// first.
			client.send("next");
			assertStamped(client.readExactly(prefixLength() + 4), "next");
		}
	}

	@Test
	void stxEtxFramingWrapsEachReply() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=stx-etx");
				TcpTestClient client = server.connect()) {
			client.send("\u0002first\u0003\u0002second\u0003");
			for (String payload : new String[] { "first", "second" }) {
				byte[] frame = client.readExactly(prefixLength() + payload.length() + 2);
				assertThat(frame[0]).isEqualTo((byte) 0x02);
				assertThat(frame[frame.length - 1]).isEqualTo((byte) 0x03);
				assertStamped(Arrays.copyOfRange(frame, 1, frame.length - 1), payload);
			}
		}
	}

	@Test
	void stxEtxFramingRejectsBytesOutsideAFrame() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=stx-etx");
				TcpTestClient client = server.connect()) {
			client.send("junk\u0002x\u0003");
			byte[] frame = client.readExactly("ERR malformed frame".length() + 2);
			assertThat(new String(frame, 1, frame.length - 2, StandardCharsets.US_ASCII))
				.isEqualTo("ERR malformed frame");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void lengthHeaderFramingPrefixesEachReplyWithItsLength() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=length-header");
				TcpTestClient client = server.connect()) {
			ByteArrayOutputStream requests = new ByteArrayOutputStream();
			for (String payload : new String[] { "alpha", "", "line\nwith\r\nterminators" }) {
				byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
				requests.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
				requests.writeBytes(bytes);
			}
			client.send(requests.toByteArray());
			for (String payload : new String[] { "alpha", "", "line\nwith\r\nterminators" }) {
				int length = ByteBuffer.wrap(client.readExactly(4)).getInt();
				assertStamped(client.readExactly(length), payload);
			}
		}
	}

	@Test
	void lengthHeaderFramingRejectsANegativeLength() {
		try (RunningServer server = RunningServer.start("--timestamp.tcp.framing=length-header");
				TcpTestClient client = server.connect()) {
			client.send(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0 });
			int length = ByteBuffer.wrap(client.readExactly(4)).getInt();
			assertThat(new String(client.readExactly(length), StandardCharsets.US_ASCII))
				.isEqualTo("ERR malformed frame");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

}
