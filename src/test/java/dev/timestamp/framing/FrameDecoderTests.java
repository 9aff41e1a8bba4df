package dev.timestamp.framing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTests {

	@Test
	void lineFramingSplitsOnLfAndStripsAnOptionalCr() {
		assertThat(decode(Framing.LINE, 100, "a\nb\r\n\nc\r")).containsExactly("a", "b", "", "(more)");
	}

	@Test
	void lineFramingAnswersAnUnterminatedLastLineAtTheEnd() {
		assertThat(decodeToEnd(Framing.LINE, 100, "a\nlast")).containsExactly("a", "last");
	}

	@Test
	void crlfFramingNeedsBothBytes() {
		assertThat(decode(Framing.CRLF, 100, "a\nb\r\nc\r")).containsExactly("a\nb", "(more)");
	}

	@Test
	void lineFramingRejectsALineOverTheLimitBeforeItEnds() {
		assertThat(decode(Framing.LINE, 4, "abcd\nabcdef")).containsExactly("abcd", "TOO_LARGE");
	}

	@Test
	void lineFramingAllowsTheLimitPlusCrlf() {
		assertThat(decode(Framing.LINE, 4, "abcd\r\n")).containsExactly("abcd");
	}

	@Test
	void lineFramingDiscardsEverythingAfterAnError() {
		assertThat(decode(Framing.LINE, 2, "abc\nok\n")).containsExactly("TOO_LARGE");
	}

	@Test
	void stxEtxFramingRejectsAMissingStx() {
		assertThat(decode(Framing.STX_ETX, 100, "\u0002a\u0003b")).containsExactly("a", "MALFORMED");
	}

	@Test
	void stxEtxFramingRejectsATruncatedFrameAtTheEnd() {
		assertThat(decodeToEnd(Framing.STX_ETX, 100, "\u0002abc")).containsExactly("MALFORMED");
	}

	@Test
	void lengthHeaderFramingRejectsALengthOverTheLimitBeforeItsPayloadArrives() {
		ByteBuf in = Unpooled.buffer().writeInt(Integer.MAX_VALUE);
		assertThat(decode(Framing.LENGTH_HEADER.newDecoder(100), in, false)).containsExactly("TOO_LARGE");
	}

	@Test
	void lengthHeaderFramingRejectsANegativeLength() {
		ByteBuf in = Unpooled.buffer().writeInt(-1);
		assertThat(decode(Framing.LENGTH_HEADER.newDecoder(100), in, false)).containsExactly("MALFORMED");
	}

	@Test
	void rawFramingTakesAllThatIsThere() {
		assertThat(decode(Framing.RAW, 100, "a\nb")).containsExactly("a\nb");
	}

	private static List<String> decode(Framing framing, int max, String input) {
		return decode(framing.newDecoder(max), Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1), false);
	}

	private static List<String> decodeToEnd(Framing framing, int max, String input) {
		return decode(framing.newDecoder(max), Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1), true);
	}

	private static List<String> decode(FrameDecoder decoder, ByteBuf in, boolean end) {
		List<String> seen = new ArrayList<>();
		FrameSink sink = new FrameSink() {
			@Override
			public void frame(byte[] payload) {
				seen.add(new String(payload, StandardCharsets.ISO_8859_1));
			}

			@Override
			public void error(FrameError error) {
				seen.add(error.name());
			}
		};
		if (end) {
			decoder.decodeLast(in, sink);
		}
		else {
			decoder.decode(in, sink);
			if (in.isReadable()) {
				seen.add("(more)");
			}
		}
		return seen;
	}

}
