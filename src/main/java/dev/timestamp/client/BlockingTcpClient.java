package dev.timestamp.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.timestamp.framing.FrameDecoder;
import dev.timestamp.framing.FrameError;
import dev.timestamp.framing.FrameSink;
import dev.timestamp.framing.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * A plain blocking socket that speaks the server's framing, with the server's own codecs.
 * Used by {@code client tcp} and by the churn of {@code bench soak}.
 */
public final class BlockingTcpClient implements AutoCloseable {

	/**
	 * Replies are larger than requests; this bounds what a misbehaving server can make us
	 * buffer.
	 */
	private static final int MAX_REPLY_BYTES = 32 * 1024 * 1024;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final Framing framing;

	private final FrameDecoder decoder;

	private final ByteBuf received = Unpooled.buffer();

	private final ArrayDeque<byte[]> replies = new ArrayDeque<>();

	private final FrameSink sink = new FrameSink() {
		@Override
		public void frame(byte[] payload) {
			BlockingTcpClient.this.replies.add(payload);
		}

		@Override
		public void error(FrameError error) {
			BlockingTcpClient.this.failed = error;
		}
	};

	private FrameError failed;

	public BlockingTcpClient(String host, int port, Framing framing, int timeoutMillis) throws IOException {
		this(host, port, framing, timeoutMillis, null, null, false);
	}

	/**
	 * Connects; sends {@code preamble} (a PROXY header) as it is, then, with {@code tls},
	 * completes a TLS handshake over the same connection, checking the server's name
	 * against its certificate when {@code verifyHost}.
	 */
	public BlockingTcpClient(String host, int port, Framing framing, int timeoutMillis, byte @Nullable [] preamble,
			@Nullable SSLContext tls, boolean verifyHost) throws IOException {
		Socket plain = new Socket();
		Socket connected = plain;
		try {
			plain.connect(new InetSocketAddress(host, port), timeoutMillis);
			plain.setSoTimeout(timeoutMillis);
			plain.setTcpNoDelay(true);
			if (preamble != null) {
				plain.getOutputStream().write(preamble);
			}
			if (tls != null) {
				SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
				if (verifyHost) {
					SSLParameters parameters = secure.getSSLParameters();
					parameters.setEndpointIdentificationAlgorithm("HTTPS");
					secure.setSSLParameters(parameters);
				}
				connected = secure;
				secure.startHandshake();
			}
			this.socket = connected;
			this.in = connected.getInputStream();
			this.out = connected.getOutputStream();
		}
		catch (IOException ex) {
			connected.close();
			plain.close();
			throw ex;
		}
		this.framing = framing;
		this.decoder = framing.newDecoder(MAX_REPLY_BYTES);
	}

	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.socket.getRemoteSocketAddress();
	}

	public void send(byte[] payload) throws IOException {
		ByteBuf frame = encode(payload);
		this.out.write(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
	}

	/**
	 * Writes the first half of a framed request, then resets the connection (RST, not
	 * FIN).
	 */
	public void abortMidRequest(byte[] payload) throws IOException {
		ByteBuf frame = encode(payload);
		this.out.write(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes() / 2);
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	private ByteBuf encode(byte[] payload) {
		ByteBuf frame = Unpooled.buffer(payload.length + this.framing.overhead());
		this.framing.encode(payload, frame);
		return frame;
	}

	public void flush() throws IOException {
		this.out.flush();
	}

	/**
	 * The next reply.
	 * @throws java.net.SocketTimeoutException if none arrives within the timeout
	 * @throws EOFException if the server closed the connection first
	 */
	public byte[] receive() throws IOException {
		byte[] chunk = new byte[8192];
		while (this.replies.isEmpty()) {
			if (this.failed != null) {
				throw new IOException("the server's reply is not valid " + this.framing.configName() + " framing");
			}
			int n = this.in.read(chunk);
			if (n < 0) {
				this.decoder.decodeLast(this.received, this.sink);
				if (this.replies.isEmpty()) {
					throw new EOFException("the server closed the connection");
				}
				break;
			}
			this.received.writeBytes(chunk, 0, n);
			this.decoder.decode(this.received, this.sink);
			this.received.discardReadBytes();
		}
		return this.replies.poll();
	}

	/**
	 * Tells the server no more requests follow; it answers what it has, then closes. Over
	 * TLS only flushes: see {@link #halfCloses()}.
	 */
	void finishSending() throws IOException {
		this.out.flush();
		if (halfCloses()) {
			this.socket.shutdownOutput();
		}
	}

	/**
	 * Whether the end of the requests is signalled by closing our side. Not over TLS:
	 * there it would be a close_notify, which a TLS engine such as BoringSSL takes as the
	 * end of the whole connection, replies still due included.
	 */
	boolean halfCloses() {
		return !(this.socket instanceof SSLSocket);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
