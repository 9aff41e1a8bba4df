package dev.timestamp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One UDP request and its reply, from a fresh socket.
 */
public final class Udp {

	private Udp() {
	}

	/** From the loopback address to 127.0.0.1. */
	public static byte[] exchange(int port, byte[] request) {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			return socket.send(port, request).receivePayload();
		}
	}

	/**
	 * From a socket connected to the target, as {@code nc -u} is: only a reply from that
	 * address and port arrives. Fails after 5 s without one.
	 */
	public static DatagramPacket exchangeConnected(InetAddress target, int port, byte[] request) {
		try (DatagramSocket connected = new DatagramSocket()) {
			connected.connect(new InetSocketAddress(target, port));
			connected.setSoTimeout(5000);
			connected.send(new DatagramPacket(request, request.length));
			DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
			connected.receive(reply);
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether this host has the IPv6 loopback address. */
	public static boolean hasIpv6Loopback() {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("::1", 0))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
