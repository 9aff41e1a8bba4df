package dev.timestamp.framing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded-random differential tests: random byte streams, cut at random points (as socket
 * reads cut them), with the sink pausing at random, must give the frames a simple
 * splitter finds in the whole stream, and the same error at the same place. A decoder
 * that loops fails on the timeout; one that throws fails the test; buffering beyond the
 * frame limit or a frame over it fails an assertion. Every failure names the seed; rerun
 * it with {@code ./mvnw test -Dtest=FrameDecoderFuzzTests -Dfuzz.seed=<seed>}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderFuzzTests {

	private static final int STREAMS = 3000;

	private static final byte STX = 0x02;

	private static final byte ETX = 0x03;

	@ParameterizedTest
	@EnumSource(Framing.class)
	void decodesEveryStreamLikeTheReferenceSplitterWhereverItIsCut(Framing framing) {
		long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
		SplittableRandom random = new SplittableRandom(seed);
		for (int n = 0; n < STREAMS; n++) {
			int max = 1 + random.nextInt((random.nextInt(8) == 0) ? 300 : 12);
			byte[] stream = randomStream(framing, max, random);
			List<byte[]> chunks = cut(stream, random);
			boolean ends = random.nextBoolean();
			try {
				List<String> expected = (framing == Framing.RAW) ? Reference.raw(chunks, max)
						: Reference.split(framing, stream, max, ends);
				assertThat(decode(framing, max, chunks, ends, random))
					.as("%s, max-frame-bytes %d, stream %s in chunks of %s, %s", framing, max, show(stream),
							chunks.stream().map((c) -> c.length).toList(), ends ? "then the end" : "more to come")
					.isEqualTo(expected);
			}
			catch (AssertionError | RuntimeException ex) {
				throw new AssertionError("fuzz.seed=" + seed + " (stream " + n + "): " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * Feeds the chunks as a ByteToMessageDecoder would, with a sink that pauses at
	 * random.
	 */
	private static List<String> decode(Framing framing, int max, List<byte[]> chunks, boolean ends,
			SplittableRandom random) {
		FrameDecoder decoder = framing.newDecoder(max);
		int bufferBound = max + framing.overhead();
		List<String> seen = new ArrayList<>();
		// in raw framing a paused read merges with the next one, which is the point of
		// raw
		RandomlyPausingSink sink = new RandomlyPausingSink(seen, random);
		sink.neverPause = framing == Framing.RAW;
		ByteBuf in = Unpooled.buffer();
		for (byte[] chunk : chunks) {
			if (random.nextInt(4) == 0) {
				in.discardReadBytes();
			}
			in.writeBytes(chunk);
			sink.pausedThisCall = false;
			decoder.decode(in, sink);
			if (!sink.pausedThisCall) {
				assertThat(in.readableBytes()).as("bytes buffered after a decode").isLessThanOrEqualTo(bufferBound);
			}
		}
		sink.neverPause = true;
		decoder.decode(in, sink);
		assertThat(in.readableBytes()).as("bytes buffered after a decode").isLessThanOrEqualTo(bufferBound);
		if (ends) {
			decoder.decodeLast(in, sink);
			assertThat(in.isReadable()).as("input left after the end").isFalse();
		}
		assertThat(sink.largestFrame).as("largest frame").isLessThanOrEqualTo(max);
		return seen;
	}

	/**
	 * Streams rich in the bytes each framing cares about, with valid and broken frames
	 * mixed.
	 */
	private static byte[] randomStream(Framing framing, int max, SplittableRandom random) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int parts = random.nextInt(12);
		for (int p = 0; p < parts; p++) {
			int length = random.nextInt(max + 3);
			switch (random.nextInt(5)) {
				case 0 -> out.writeBytes(noise(random, random.nextInt(max * 2 + 3)));
				case 1 -> out.write(new byte[] { '\r', '\n', STX, ETX }[random.nextInt(4)]);
				default -> {
					byte[] payload = noise(random, length);
					switch (framing) {
						case LINE, CRLF -> {
							out.writeBytes(payload);
							out.writeBytes(random.nextBoolean() ? new byte[] { '\r', '\n' } : new byte[] { '\n' });
						}
						case STX_ETX -> {
							out.write(STX);
							out.writeBytes(payload);
							out.write(ETX);
						}
						case LENGTH_HEADER -> {
							int header = switch (random.nextInt(10)) {
								case 0 -> Integer.MAX_VALUE;
								case 1 -> -1 - random.nextInt(Integer.MAX_VALUE);
								default -> length;
							};
							out.writeBytes(ByteBuffer.allocate(4).putInt(header).array());
							out.writeBytes(payload);
						}
						case RAW -> out.writeBytes(payload);
					}
				}
			}
		}
		return out.toByteArray();
	}

	/**
	 * Random bytes, mostly printable, with the framing bytes and zero well represented.
	 */
	private static byte[] noise(SplittableRandom random, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = switch (random.nextInt(8)) {
				case 0 -> (byte) random.nextInt(256);
				case 1 -> new byte[] { '\r', '\n', STX, ETX, 0 }[random.nextInt(5)];
				default -> (byte) ('a' + random.nextInt(26));
			};
		}
		return bytes;
	}

	/**
	 * Cuts a stream at random points; chunks may be empty, single bytes or the whole
	 * rest.
	 */
	private static List<byte[]> cut(byte[] stream, SplittableRandom random) {
		List<byte[]> chunks = new ArrayList<>();
		int at = 0;
		while (at < stream.length) {
			int length = (random.nextInt(3) == 0) ? 1 + random.nextInt(stream.length - at)
					: Math.min(stream.length - at, random.nextInt(4));
			chunks.add(Arrays.copyOfRange(stream, at, at + length));
			at += length;
		}
		return chunks;
	}

	private static String show(byte[] bytes) {
		StringBuilder text = new StringBuilder("\"");
		for (byte b : bytes) {
			text.append((b >= 0x20 && b < 0x7f && b != '\\') ? String.valueOf((char) b)
					: String.format("\\x%02x", b & 0xff));
		}
		return text.append('"').toString();
	}

	private static String frame(byte[] bytes, int from, int to) {
		return show(Arrays.copyOfRange(bytes, from, to));
	}

	private static final class RandomlyPausingSink implements FrameSink {

		private final List<String> seen;

		private final SplittableRandom random;

		boolean pausedThisCall;

		boolean neverPause;

		int largestFrame;

		RandomlyPausingSink(List<String> seen, SplittableRandom random) {
			this.seen = seen;
			this.random = random;
		}

		@Override
		public void frame(byte[] payload) {
			this.largestFrame = Math.max(this.largestFrame, payload.length);
			this.seen.add(show(payload));
		}

		@Override
		public void error(FrameError error) {
			this.seen.add(error.name());
		}

		@Override
		public boolean isPaused() {
			boolean paused = !this.neverPause && this.random.nextInt(6) == 0;
			this.pausedThisCall |= paused;
			return paused;
		}

	}

	/**
	 * The framing rules written as plainly as possible, over the whole stream at once:
	 * the frames in order, then the first error if there is one.
	 */
	private static final class Reference {

		static List<String> split(Framing framing, byte[] b, int max, boolean ends) {
			List<String> frames = new ArrayList<>();
			int i = 0;
			while (i < b.length) {
				int next = switch (framing) {
					case LINE, CRLF -> line(framing, b, i, max, frames);
					case STX_ETX -> stxEtx(b, i, max, frames);
					case LENGTH_HEADER -> lengthHeader(b, i, max, frames);
					case RAW -> throw new IllegalArgumentException();
				};
				if (next < 0) {
					return frames;
				}
				if (next == i) {
					rest(framing, b, i, max, ends, frames);
					return frames;
				}
				i = next;
			}
			return frames;
		}

		/** Returns where the next frame starts, i (incomplete) or -1 (error). */
		private static int line(Framing framing, byte[] b, int i, int max, List<String> frames) {
			for (int j = i; j < b.length; j++) {
				boolean terminator = (framing == Framing.LINE) ? b[j] == '\n'
						: b[j] == '\n' && j > i && b[j - 1] == '\r';
				if (terminator) {
					int end = (j > i && b[j - 1] == '\r') ? j - 1 : j;
					return emit(b, i, end, max, frames) ? j + 1 : -1;
				}
			}
			return i;
		}

		private static int stxEtx(byte[] b, int i, int max, List<String> frames) {
			if (b[i] != STX) {
				frames.add("MALFORMED");
				return -1;
			}
			for (int j = i + 1; j < b.length; j++) {
				if (b[j] == ETX) {
					return emit(b, i + 1, j, max, frames) ? j + 1 : -1;
				}
			}
			return i;
		}

		private static int lengthHeader(byte[] b, int i, int max, List<String> frames) {
			if (b.length - i < 4) {
				return i;
			}
			int length = ByteBuffer.wrap(b, i, 4).getInt();
			if (length < 0) {
				frames.add("MALFORMED");
				return -1;
			}
			if (length > max) {
				frames.add("TOO_LARGE");
				return -1;
			}
			if (b.length - i - 4 < length) {
				return i;
			}
			frames.add(frame(b, i + 4, i + 4 + length));
			return i + 4 + length;
		}

		/**
		 * What is left after the last complete frame: the end decides it, or its size
		 * does.
		 */
		private static void rest(Framing framing, byte[] b, int i, int max, boolean ends, List<String> frames) {
			int partial = b.length - i;
			switch (framing) {
				case LINE, CRLF -> {
					if (ends) {
						int end = (framing == Framing.LINE && b[b.length - 1] == '\r') ? b.length - 1 : b.length;
						emit(b, i, end, max, frames);
					}
					else if (partial > max + 1) {
						// at most a CR beyond the limit can still be a frame of the
						// limit's size
						frames.add("TOO_LARGE");
					}
				}
				case STX_ETX -> {
					if (partial - 1 > max) {
						frames.add("TOO_LARGE");
					}
					else if (ends) {
						frames.add("MALFORMED");
					}
				}
				default -> {
					if (ends) {
						frames.add("MALFORMED");
					}
				}
			}
		}

		/**
		 * Each delivery (the bytes of one read) is a frame, cut into pieces of at most
		 * max bytes.
		 */
		static List<String> raw(List<byte[]> chunks, int max) {
			List<String> frames = new ArrayList<>();
			for (byte[] chunk : chunks) {
				for (int from = 0; from < chunk.length; from += max) {
					frames.add(frame(chunk, from, Math.min(chunk.length, from + max)));
				}
			}
			return frames;
		}

		private static boolean emit(byte[] b, int from, int to, int max, List<String> frames) {
			if (to - from > max) {
				frames.add("TOO_LARGE");
				return false;
			}
			frames.add(frame(b, from, to));
			return true;
		}

	}

}
