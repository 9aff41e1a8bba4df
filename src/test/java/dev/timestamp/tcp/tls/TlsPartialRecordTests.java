package dev.timestamp.tcp.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.timestamp.tcp.framing.FramingHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TlsPartialRecord} on an embedded channel: the bytes of the TLS record still
 * arriving, however the stream is cut into reads.
 */
class TlsPartialRecordTests {

	@Test
	void countsARecordUntilItsLastByteArrives() {
		TlsPartialRecord partial = new TlsPartialRecord();
		EmbeddedChannel channel = new EmbeddedChannel(partial);
		byte[] record = record(16_000, 1);
		channel.writeInbound(Unpooled.wrappedBuffer(record, 0, record.length - 1));
		assertThat(partial.heldBytes()).isEqualTo(record.length - 1);
		channel.writeInbound(Unpooled.wrappedBuffer(record, record.length - 1, 1));
		assertThat(partial.heldBytes()).isZero();
		channel.finishAndReleaseAll();
	}

	@Test
	void countsOnlyTheLastOfSeveralRecordsInOneRead() {
		TlsPartialRecord partial = new TlsPartialRecord();
		EmbeddedChannel channel = new EmbeddedChannel(partial);
		ByteBuf read = Unpooled.buffer();
		read.writeBytes(record(300, 2)).writeBytes(record(0, 3)).writeBytes(record(1000, 4), 0, 7);
		channel.writeInbound(read);
		assertThat(partial.heldBytes()).isEqualTo(7);
		channel.finishAndReleaseAll();
	}

	@Test
	void countsTheSameHoweverTheStreamIsCutIntoReads() {
		// Seeded: a failure names the cuts it came from.
		Random random = new Random(20261203);
		byte[] bytes = records(random, 2000);
		for (int trial = 0; trial < 200; trial++) {
			TlsPartialRecord partial = new TlsPartialRecord();
			EmbeddedChannel channel = new EmbeddedChannel(partial);
			int end = random.nextInt(bytes.length + 1);
			writeInReads(channel, bytes, end, random, 700, Unpooled::wrappedBuffer);
			assertThat(partial.heldBytes()).as("held after %d bytes", end).isEqualTo(heldAfter(bytes, end));
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void passesARecordStillArrivingOnInABufferOfItsSizeNotInTheLargeReadItCameIn() {
		EmbeddedChannel channel = new EmbeddedChannel(new TlsPartialRecord());
		ByteBuf read = Unpooled.directBuffer(64 * 1024);
		read.writeBytes(record(300, 2)).writeBytes(record(1000, 4), 0, 7);
		channel.writeInbound(read);
		List<ByteBuf> passedOn = inbound(channel);
		// The SslHandler decrypts the complete records and keeps the rest.
		ByteBuf kept = passedOn.remove(passedOn.size() - 1);
		passedOn.forEach(ByteBuf::release);
		assertThat(read.refCnt()).isZero();
		assertThat(kept.readableBytes()).isEqualTo(7);
		kept.release();
	}

	@Test
	void passesOnEveryByteInOrderHoweverLargeTheReadBuffers() {
		// Seeded: a failure names the cuts it came from.
		Random random = new Random(20261203);
		byte[] bytes = records(random, 3000);
		for (int trial = 0; trial < 200; trial++) {
			TlsPartialRecord partial = new TlsPartialRecord();
			EmbeddedChannel channel = new EmbeddedChannel(partial);
			int end = random.nextInt(bytes.length + 1);
			// read buffers larger than what was read into them, as the socket's are
			writeInReads(channel, bytes, end, random, 8192,
					(all, at, length) -> Unpooled.directBuffer(16 * 1024).writeBytes(all, at, length));
			ByteBuf passedOn = Unpooled.buffer();
			for (ByteBuf piece : inbound(channel)) {
				passedOn.writeBytes(piece);
				piece.release();
			}
			assertThat(ByteBufUtil.getBytes(passedOn)).as("after %d bytes", end).isEqualTo(Arrays.copyOf(bytes, end));
			assertThat(partial.heldBytes()).as("held after %d bytes", end).isEqualTo(heldAfter(bytes, end));
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void tellsTheFramingThatInputEndsBeforePassingOnATls12Alert() {
		List<Object> seen = new ArrayList<>();
		EmbeddedChannel channel = new EmbeddedChannel(new TlsPartialRecord(), new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				seen.add(((ByteBuf) msg).readableBytes());
				((ByteBuf) msg).release();
			}

			@Override
			public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
				seen.add(event);
			}
		});
		// A data record, then a close_notify alert (type 21) as TLS 1.2 frames it.
		ByteBuf read = Unpooled.buffer().writeBytes(record(100, 1)).writeBytes(new byte[] { 21, 3, 3, 0, 2, 1, 0 });
		channel.writeInbound(read);
		assertThat(seen).containsExactly(105, FramingHandler.ClientInput.ENDING, 7);
		channel.finishAndReleaseAll();
	}

	private static List<ByteBuf> inbound(EmbeddedChannel channel) {
		List<ByteBuf> buffers = new ArrayList<>();
		ByteBuf buffer;
		while ((buffer = channel.readInbound()) != null) {
			buffers.add(buffer);
		}
		return buffers;
	}

	/**
	 * Writes the first {@code end} bytes to the channel in reads of random lengths, up to
	 * {@code longestRead} each.
	 */
	private static void writeInReads(EmbeddedChannel channel, byte[] bytes, int end, Random random, int longestRead,
			ReadBuffer readBuffer) {
		int at = 0;
		while (at < end) {
			int length = Math.min(end - at, 1 + random.nextInt(longestRead));
			channel.writeInbound(readBuffer.of(bytes, at, length));
			at += length;
		}
	}

	/** Twenty records of random lengths, up to {@code longestBody} bytes of body each. */
	private static byte[] records(Random random, int longestBody) {
		ByteBuf stream = Unpooled.buffer();
		for (int i = 0; i < 20; i++) {
			stream.writeBytes(record(random.nextInt(longestBody), i));
		}
		return ByteBufUtil.getBytes(stream);
	}

	/** A record header (application data, TLS 1.2) and a body of {@code length} bytes. */
	private static byte[] record(int length, int fill) {
		byte[] record = new byte[5 + length];
		record[0] = 23;
		record[1] = 3;
		record[2] = 3;
		record[3] = (byte) (length >> 8);
		record[4] = (byte) length;
		Arrays.fill(record, 5, record.length, (byte) fill);
		return record;
	}

	/** The bytes of the record still incomplete after the first {@code end} bytes. */
	private static int heldAfter(byte[] stream, int end) {
		int start = 0;
		while (start + 5 <= end) {
			int length = ((stream[start + 3] & 0xff) << 8) | (stream[start + 4] & 0xff);
			if (start + 5 + length > end) {
				break;
			}
			start += 5 + length;
		}
		return end - start;
	}

	/** The buffer one read delivers {@code length} bytes of the stream in. */
	private interface ReadBuffer {

		ByteBuf of(byte[] stream, int at, int length);

	}

}
