package dev.timestamp.tcp.proxy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.client.ProxyHeader;
import dev.timestamp.config.Cidr;
import dev.timestamp.config.ProxyProtocolMode;
import dev.timestamp.tcp.EmbeddedConnection;
import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProxyProtocolDetector} and {@link ProxyHeaderHandler} on an embedded channel:
 * who may declare a client, what a header changes, and what closes a connection.
 */
class ProxyProtocolHandlersTests {

	private static final String PROXY = "10.0.0.5";

	private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 40001);

	private static final InetSocketAddress SERVICE = new InetSocketAddress("10.0.0.9", 21567);

	@Test
	void v1HeaderFromATrustedProxyDeclaresTheClient() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, ProxyHeader.proxy(HAProxyProtocolVersion.V1, CLIENT, SERVICE));
		assertThat(connection.recorder.active).isTrue();
		assertThat(connection.recorder.clientWhenActive).isEqualTo(CLIENT);
		assertThat(ClientAddress.describe(connection.channel)).contains("203.0.113.7").contains("via").contains(PROXY);
	}

	@Test
	void v2HeaderDeclaresAnIpv6Client() {
		InetSocketAddress client = new InetSocketAddress("2001:db8::7", 40002);
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, ProxyHeader.proxy(HAProxyProtocolVersion.V2, client, SERVICE));
		assertThat(connection.recorder.clientWhenActive).isEqualTo(client);
	}

	@Test
	void bytesAfterTheHeaderInTheSameReadAreRequestData() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		byte[] header = ProxyHeader.proxy(HAProxyProtocolVersion.V2, CLIENT, SERVICE);
		ByteBuf read = Unpooled.buffer().writeBytes(header).writeBytes(bytes("hello\n"));
		connection.channel.writeInbound(read);
		assertThat(received(connection)).isEqualTo("hello\n");
	}

	@Test
	void theConnectionStaysInactiveUntilTheHeaderIsComplete() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		byte[] header = ProxyHeader.proxy(HAProxyProtocolVersion.V1, CLIENT, SERVICE);
		connection.channel.writeInbound(Unpooled.wrappedBuffer(header, 0, 10));
		assertThat(connection.recorder.active).isFalse();
		connection.channel.writeInbound(Unpooled.wrappedBuffer(header, 10, header.length - 10));
		assertThat(connection.recorder.active).isTrue();
		assertThat(connection.recorder.clientWhenActive).isEqualTo(CLIENT);
	}

	@Test
	void localCommandKeepsTheProxysAddress() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, ProxyHeader.local());
		assertThat(connection.recorder.active).isTrue();
		assertThat(connection.recorder.clientWhenActive.getAddress().getHostAddress()).isEqualTo(PROXY);
		assertThat(ClientAddress.isDeclared(connection.channel)).isFalse();
	}

	@Test
	void headerFromAnUntrustedPeerClosesTheConnection() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.OPTIONAL, "192.0.2.1");
		send(connection, ProxyHeader.proxy(HAProxyProtocolVersion.V1, CLIENT, SERVICE));
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.recorder.messages).isEmpty();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
	}

	@Test
	void anUntrustedPeerIsActiveAtAcceptSoItsSourceIsAdmittedAtOnce() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, "192.0.2.1");
		assertThat(connection.recorder.active).isTrue();
		assertThat(connection.recorder.clientWhenActive.getAddress().getHostAddress()).isEqualTo("192.0.2.1");
	}

	@Test
	void anUntrustedPeersEmptyLineIsARequestWithoutWaitingForTheHeaderTimeout() {
		// "\r\n" is how the v2 signature starts.
		EmbeddedConnection connection = connect(ProxyProtocolMode.OPTIONAL, "192.0.2.1");
		send(connection, bytes("\r\n"));
		assertThat(received(connection)).isEqualTo("\r\n");
		assertThat(connection.channel.isOpen()).isTrue();
	}

	@Test
	void v2HeaderWhoseExtensionRunsPastTheHeaderIsMalformed() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		// An IPv4 header whose one TLV (type 0x01) claims 0xffff bytes and has three.
		ByteBuf header = v2Header(0x11, 12, 6);
		header.writeByte(0x01).writeShort(0xffff).writeZero(3);
		connection.channel.writeInbound(header);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
		assertThat(connection.recorder.active).isFalse();
	}

	@ParameterizedTest(name = "family {0}, max-tlv-bytes {2}")
	@CsvSource({ "0x11, 12, 0", "0x11, 12, 2048", "0x21, 36, 0", "0x21, 36, 2048", "0x11, 12, 5" })
	void maxTlvBytesIsExactForEachAddressFamily(int family, int addressBytes, int maxTlvBytes) {
		EmbeddedConnection atLimit = connect(ProxyProtocolMode.REQUIRED, PROXY, maxTlvBytes);
		atLimit.channel.writeInbound(v2HeaderWithExtensions(family, addressBytes, maxTlvBytes));
		assertThat(atLimit.recorder.active).as("%d bytes of extensions", maxTlvBytes).isTrue();
		assertThat(atLimit.recorder.clientWhenActive.getAddress().getHostAddress()).isIn("203.0.113.7",
				"2001:db8:0:0:0:0:0:7");
		EmbeddedConnection overLimit = connect(ProxyProtocolMode.REQUIRED, PROXY, maxTlvBytes);
		overLimit.channel.writeInbound(v2HeaderWithExtensions(family, addressBytes, maxTlvBytes + 1));
		assertThat(overLimit.channel.isOpen()).as("%d bytes of extensions", maxTlvBytes + 1).isFalse();
		assertThat(overLimit.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
	}

	/**
	 * A v2 PROXY header over TCP from 203.0.113.7 (or 2001:db8::7) with {@code size}
	 * bytes of extensions: one NOOP TLV, or zero bytes where fewer than a TLV's 3 are
	 * asked.
	 */
	private static ByteBuf v2HeaderWithExtensions(int family, int addressBytes, int size) {
		ByteBuf header = v2Header(family, addressBytes, size);
		if (size >= 3) {
			header.writeByte(0x04).writeShort(size - 3).writeZero(size - 3);
		}
		else {
			header.writeZero(size);
		}
		return header;
	}

	/** The fixed part and the addresses of a v2 header, {@code tlvBytes} yet to write. */
	private static ByteBuf v2Header(int family, int addressBytes, int tlvBytes) {
		ByteBuf header = Unpooled.buffer();
		header.writeBytes(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A });
		header.writeByte(0x21).writeByte(family).writeShort(addressBytes + tlvBytes);
		if (addressBytes == 12) {
			header.writeBytes(new byte[] { (byte) 203, 0, 113, 7, 10, 0, 0, 9 });
		}
		else {
			header.writeBytes(new byte[] { 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 });
			header.writeBytes(new byte[] { 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 });
		}
		header.writeShort(40001).writeShort(21567);
		return header;
	}

	@Test
	void untrustedPeerWithoutAHeaderIsServedAsItIs() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, "192.0.2.1");
		send(connection, bytes("hello\n"));
		assertThat(connection.recorder.clientWhenActive.getAddress().getHostAddress()).isEqualTo("192.0.2.1");
		assertThat(received(connection)).isEqualTo("hello\n");
	}

	@Test
	void requiredModeClosesATrustedConnectionWithoutAHeader() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, bytes("hello\n"));
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
		assertThat(connection.recorder.messages).isEmpty();
	}

	@Test
	void optionalModeServesATrustedConnectionWithoutAHeader() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.OPTIONAL, PROXY);
		send(connection, bytes("hi"));
		assertThat(connection.recorder.active).isTrue();
		assertThat(received(connection)).isEqualTo("hi");
	}

	@Test
	void requiredHeaderNotCompleteWithinTheTimeoutClosesTheConnection() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, bytes("PROXY TCP4 203.0.113.7"));
		connection.channel.advanceTimeBy(5, TimeUnit.SECONDS);
		connection.channel.runScheduledPendingTasks();
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
	}

	@Test
	void signaturePrefixFromAPeerThatNeedsNoHeaderIsDataAfterTheTimeout() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.OPTIONAL, PROXY);
		send(connection, bytes("PRO"));
		assertThat(connection.recorder.active).isFalse();
		connection.channel.advanceTimeBy(5, TimeUnit.SECONDS);
		connection.channel.runScheduledPendingTasks();
		assertThat(connection.channel.isOpen()).isTrue();
		assertThat(received(connection)).isEqualTo("PRO");
	}

	@Test
	void malformedHeaderClosesTheConnection() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		send(connection, bytes("PROXY TCP4 not-an-address 10.0.0.9 1 2\r\n"));
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
		assertThat(connection.recorder.active).isFalse();
	}

	@Test
	void v2HeaderWithMoreExtensionBytesThanAllowedClosesTheConnection() {
		EmbeddedConnection connection = connect(ProxyProtocolMode.REQUIRED, PROXY);
		byte[] header = ProxyHeader.proxy(HAProxyProtocolVersion.V2, CLIENT, SERVICE);
		// Declare 216 address bytes plus 100 TLV bytes where 16 are allowed.
		ByteBuf oversized = Unpooled.buffer().writeBytes(header, 0, 14).writeShort(216 + 100);
		oversized.writeZero(216 + 100);
		connection.channel.writeInbound(oversized);
		assertThat(connection.channel.isOpen()).isFalse();
		assertThat(connection.closeReason()).isEqualTo(CloseReason.PROXY_PROTOCOL);
	}

	private static EmbeddedConnection connect(ProxyProtocolMode mode, String peer) {
		return connect(mode, peer, 16);
	}

	private static EmbeddedConnection connect(ProxyProtocolMode mode, String peer, int maxTlvBytes) {
		ProxyProtocolSettings settings = new ProxyProtocolSettings(mode, List.of(Cidr.valueOf("10.0.0.0/24")),
				Duration.ofSeconds(5), maxTlvBytes);
		return EmbeddedConnection.from(peer, 3333, new ProxyProtocolDetector(settings));
	}

	private static void send(EmbeddedConnection connection, byte[] bytes) {
		connection.channel.writeInbound(Unpooled.wrappedBuffer(bytes));
	}

	private static String received(EmbeddedConnection connection) {
		StringBuilder text = new StringBuilder();
		for (Object message : connection.recorder.messages) {
			ByteBuf buffer = (ByteBuf) message;
			text.append(buffer.toString(StandardCharsets.ISO_8859_1));
			buffer.release();
		}
		return text.toString();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
