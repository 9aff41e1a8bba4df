package dev.timestamp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * One UDP request and its reply, from a fresh socket on the loopback address.
 */
public final class Udp {

	private Udp() {
	}

	public static byte[] exchange(int port, byte[] request) {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			socket.setSoTimeout(5000);
			socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
			DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
			socket.receive(reply);
			return Arrays.copyOf(reply.getData(), reply.getLength());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
