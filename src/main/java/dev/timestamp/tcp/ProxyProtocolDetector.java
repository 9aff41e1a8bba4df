package dev.timestamp.tcp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The first handler when the PROXY protocol is on. It holds the connection back (the
 * handlers after it see it become active only once its client is known) and looks at its
 * first bytes:
 * <ul>
 * <li>a PROXY v1 or v2 signature from a trusted peer: Netty's
 * {@link HAProxyMessageDecoder} takes over, and {@link ProxyHeaderHandler} applies the
 * header;</li>
 * <li>a signature from any other peer: the connection is closed (a spoofing attempt, or a
 * proxy missing from {@code trusted-sources});</li>
 * <li>no signature: the bytes are requests, unless the peer is trusted and the mode is
 * {@code required}, which closes the connection.</li>
 * </ul>
 * Bytes that could still become a signature are waited for, at most until the header
 * timeout; a connection allowed to go without a header then goes on as one without.
 */
final class ProxyProtocolDetector extends ByteToMessageDecoder {

	static final String DECODER_NAME = "proxy-protocol-decoder";

	static final String HEADER_NAME = "proxy-protocol-header";

	private static final Log logger = LogFactory.getLog("dev.timestamp.tcp.proxy");

	/** At most one WARN a minute about headers from untrusted peers. */
	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static volatile long nextWarnNanos = System.nanoTime();

	private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
			0x0A };

	private final ProxyProtocolSettings settings;

	private boolean trusted;

	private State state = State.WAITING;

	private @Nullable Future<?> timeout;

	ProxyProtocolDetector(ProxyProtocolSettings settings) {
		this.settings = settings;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		// Not passed on: the connection is active for the handlers after this one once
		// its client is known.
		this.trusted = this.settings.trusts(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
		this.timeout = ctx.executor()
			.schedule(() -> headerTimedOut(ctx), this.settings.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.state != State.WAITING || !ctx.channel().isActive()) {
			in.skipBytes(in.readableBytes());
			return;
		}
		Signature signature = Signature.at(in);
		if (signature == Signature.UNDECIDED) {
			return;
		}
		this.state = State.DONE;
		if (signature == Signature.FOUND) {
			if (this.trusted) {
				// The header timeout still runs: it is cancelled once the header is read.
				this.state = State.DECODING;
				ctx.pipeline()
					.addAfter(ctx.name(), DECODER_NAME, new HAProxyMessageDecoder(this.settings.maxTlvBytes()))
					.addAfter(DECODER_NAME, HEADER_NAME, new ProxyHeaderHandler(this.timeout));
				// Removing this decoder hands what it holds to the header decoder.
				ctx.pipeline().remove(this);
			}
			else {
				warnUntrusted(ctx);
				refuse(ctx, in, "a PROXY header from a peer not in timestamp.tcp.proxy-protocol.trusted-sources");
			}
		}
		else if (this.trusted && this.settings.required()) {
			refuse(ctx, in, "no PROXY header (timestamp.tcp.proxy-protocol.mode=required)");
		}
		else {
			proceedWithoutHeader(ctx);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelTimeout();
		super.channelInactive(ctx);
	}

	@Override
	protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		// The connection ended before its client was known: nothing is answered.
		in.skipBytes(in.readableBytes());
	}

	private void headerTimedOut(ChannelHandlerContext ctx) {
		State was = this.state;
		this.state = State.DONE;
		if (was == State.DONE || !ctx.channel().isActive()) {
			return;
		}
		if (was == State.DECODING || (this.trusted && this.settings.required())) {
			refuse(ctx, null, "no complete PROXY header within " + this.settings.headerTimeout().toMillis() + " ms");
		}
		else {
			// What was read (a prefix of "PROXY ") is a request after all.
			proceedWithoutHeader(ctx);
		}
	}

	private void proceedWithoutHeader(ChannelHandlerContext ctx) {
		cancelTimeout();
		ctx.fireChannelActive();
		// Removing this decoder hands what it holds to the handlers after it.
		ctx.pipeline().remove(this);
	}

	private void refuse(ChannelHandlerContext ctx, @Nullable ByteBuf in, String why) {
		cancelTimeout();
		if (in != null) {
			in.skipBytes(in.readableBytes());
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Connection from " + ClientAddress.text((InetSocketAddress) ctx.channel().remoteAddress())
					+ " closed: " + why);
		}
		ConnectionEnd.close(ctx.channel(), CloseReason.PROXY_PROTOCOL);
	}

	private static void warnUntrusted(ChannelHandlerContext ctx) {
		long now = System.nanoTime();
		if (now - nextWarnNanos >= 0) {
			nextWarnNanos = now + WARN_INTERVAL_NANOS;
			logger.warn(
					"Closed a connection from " + ClientAddress.text((InetSocketAddress) ctx.channel().remoteAddress())
							+ " that sent a PROXY header:"
							+ " that address is not in timestamp.tcp.proxy-protocol.trusted-sources. If it is your load"
							+ " balancer, add it (this warning repeats at most once a minute).");
		}
	}

	private void cancelTimeout() {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
	}

	/** Where the detector stands. */
	private enum State {

		/** Looking at the first bytes. */
		WAITING,

		/** A trusted header is being decoded by the header decoder. */
		DECODING,

		/** Decided and handled. */
		DONE

	}

	/** What a connection's first bytes say about a PROXY header. */
	enum Signature {

		/** The bytes start with the v1 or the v2 signature. */
		FOUND,

		/** The bytes cannot start a header. */
		ABSENT,

		/** Too few bytes to tell: they are a prefix of a signature. */
		UNDECIDED;

		static Signature at(ByteBuf in) {
			Signature v1 = match(in, V1_SIGNATURE);
			Signature v2 = match(in, V2_SIGNATURE);
			if (v1 == FOUND || v2 == FOUND) {
				return FOUND;
			}
			return (v1 == ABSENT && v2 == ABSENT) ? ABSENT : UNDECIDED;
		}

		private static Signature match(ByteBuf in, byte[] signature) {
			int available = Math.min(in.readableBytes(), signature.length);
			int start = in.readerIndex();
			for (int i = 0; i < available; i++) {
				if (in.getByte(start + i) != signature[i]) {
					return ABSENT;
				}
			}
			return (available == signature.length) ? FOUND : UNDECIDED;
		}

	}

}
