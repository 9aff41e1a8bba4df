package dev.timestamp.tcp.proxy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.MinuteThrottle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The first handler when the PROXY protocol is on. It holds a trusted peer's connection
 * back (the handlers after it see it become active only once its client is known) and
 * looks at its first bytes:
 * <ul>
 * <li>a PROXY v1 or v2 signature from a trusted peer: Netty's
 * {@link HAProxyMessageDecoder} takes over, and {@link ProxyHeaderHandler} applies the
 * header;</li>
 * <li>a signature from any other peer: the connection is closed (a spoofing attempt, or a
 * proxy missing from {@code trusted-sources});</li>
 * <li>no signature: the bytes are requests, unless the peer is trusted and the mode is
 * {@code required}, which closes the connection.</li>
 * </ul>
 * Bytes from a trusted peer that could still become a signature are waited for, at most
 * until the header timeout; a connection allowed to go without a header then goes on as
 * one without. An untrusted peer's address is final at accept: its connection is active
 * (and admitted by source) at once, and only a whole signature in its first read is
 * refused.
 */
public final class ProxyProtocolDetector extends ByteToMessageDecoder {

	static final String DECODER_NAME = "proxy-protocol-decoder";

	static final String HEADER_NAME = "proxy-protocol-header";

	private static final Log logger = LogFactory.getLog("dev.timestamp.tcp.proxy");

	/** At most one WARN a minute about headers from untrusted peers. */
	private static final MinuteThrottle untrustedHeaders = new MinuteThrottle();

	private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
			0x0A };

	private final ProxyProtocolSettings settings;

	private boolean trusted;

	private State state = State.WAITING;

	private @Nullable Future<?> timeout;

	public ProxyProtocolDetector(ProxyProtocolSettings settings) {
		this.settings = settings;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.trusted = this.settings.trusts(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
		if (!this.trusted) {
			// Its address is final at accept: admitted by source now, not after a header
			// timeout, and its first read is a request unless it is a whole signature.
			this.state = State.UNTRUSTED;
			ctx.fireChannelActive();
			return;
		}
		// Not passed on: the connection is active for the handlers after this one once
		// its client is known.
		this.timeout = ctx.executor()
			.schedule(() -> headerTimedOut(ctx), this.settings.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.state == State.UNTRUSTED && ctx.channel().isActive()) {
			untrustedFirstRead(ctx, in);
			return;
		}
		if (this.state != State.WAITING || !ctx.channel().isActive()) {
			in.skipBytes(in.readableBytes());
			return;
		}
		Signature signature = Signature.at(in);
		if (signature == Signature.UNDECIDED) {
			return;
		}
		this.state = State.DONE;
		if (signature == Signature.ABSENT) {
			if (this.settings.required()) {
				refuse(ctx, in, "no PROXY header (timestamp.tcp.proxy-protocol.mode=required)");
			}
			else {
				proceedWithoutHeader(ctx);
			}
			return;
		}
		int extensions = V2Extensions.size(in);
		if (extensions == V2Extensions.UNDECIDED) {
			this.state = State.WAITING;
			return;
		}
		if (extensions == V2Extensions.MALFORMED) {
			refuse(ctx, in, "bad PROXY header (a v2 address family or length no header can have)");
			return;
		}
		if (extensions > this.settings.maxTlvBytes()) {
			refuse(ctx, in, "a PROXY v2 header with " + extensions + " bytes of extensions"
					+ " (timestamp.tcp.proxy-protocol.max-tlv-bytes allows " + this.settings.maxTlvBytes() + ")");
			return;
		}
		// The header timeout still runs: it is cancelled once the header is read.
		this.state = State.DECODING;
		ctx.pipeline()
			.addAfter(ctx.name(), DECODER_NAME, new HAProxyMessageDecoder(this.settings.maxTlvBytes()))
			.addAfter(DECODER_NAME, HEADER_NAME, new ProxyHeaderHandler(this.timeout));
		// Removing this decoder hands what it holds to the header decoder.
		ctx.pipeline().remove(this);
	}

	/**
	 * An untrusted peer's first bytes: a whole signature is a header it may not send;
	 * anything else, even a prefix of a signature (an empty line starts the v2 one), is
	 * requests, answered without waiting for more.
	 */
	private void untrustedFirstRead(ChannelHandlerContext ctx, ByteBuf in) {
		this.state = State.DONE;
		if (Signature.at(in) == Signature.FOUND) {
			warnUntrusted(ctx);
			refuse(ctx, in, "a PROXY header from a peer not in timestamp.tcp.proxy-protocol.trusted-sources");
		}
		else {
			// Removing this decoder hands what it holds to the handlers after it.
			ctx.pipeline().remove(this);
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
		if (was == State.DONE || was == State.UNTRUSTED || !ctx.channel().isActive()) {
			return;
		}
		if (was == State.DECODING || this.settings.required()) {
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
		long heldBack = untrustedHeaders.pass();
		if (heldBack != MinuteThrottle.HELD_BACK) {
			logger.warn(
					"Closed a connection from " + ClientAddress.text((InetSocketAddress) ctx.channel().remoteAddress())
							+ " that sent a PROXY header:"
							+ " that address is not in timestamp.tcp.proxy-protocol.trusted-sources. If it is your load"
							+ " balancer, add it" + MinuteThrottle.repeats(heldBack) + ".");
		}
	}

	private void cancelTimeout() {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
	}

	/** Where the detector stands. */
	private enum State {

		/** Looking at a trusted peer's first bytes. */
		WAITING,

		/** An untrusted peer, already admitted: its first read is yet to be seen. */
		UNTRUSTED,

		/** A trusted header is being decoded by the header decoder. */
		DECODING,

		/** Decided and handled. */
		DONE

	}

	/**
	 * The size of a v2 header's extensions (TLVs), which its fixed part tells from the
	 * length and the address family. Netty's decoder bounds the header by the largest
	 * address block (AF_UNIX, 216 bytes) plus the allowance, whatever the family, which
	 * lets up to 204 bytes more through over IPv4: this is what makes the setting exact.
	 */
	public static final class V2Extensions {

		/** The fixed part of the header has not all arrived. */
		static final int UNDECIDED = -2;

		/** A family or a length no v2 header can have. */
		static final int MALFORMED = -1;

		private static final int FIXED_BYTES = 16;

		private V2Extensions() {
		}

		/** Bytes of extensions in the header at {@code in}: 0 for a v1 header. */
		static int size(ByteBuf in) {
			if (Signature.match(in, V2_SIGNATURE) != Signature.FOUND) {
				return 0;
			}
			if (in.readableBytes() < FIXED_BYTES) {
				return UNDECIDED;
			}
			int start = in.readerIndex();
			int length = in.getUnsignedShort(start + 14);
			int addresses = switch (in.getUnsignedByte(start + 13) >> 4) {
				case 0 -> 0; // AF_UNSPEC
				case 1 -> 12; // AF_INET
				case 2 -> 36; // AF_INET6
				case 3 -> 216; // AF_UNIX
				default -> -1;
			};
			return (addresses < 0 || length < addresses) ? MALFORMED : length - addresses;
		}

	}

	/**
	 * What a connection's first bytes say about a PROXY header. Not Netty's
	 * {@code HAProxyMessageDecoder.detectProtocol}: it waits for 12 bytes before it
	 * tells, where a short request (an empty line) must be told apart at once.
	 */
	public enum Signature {

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

		static Signature match(ByteBuf in, byte[] signature) {
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
