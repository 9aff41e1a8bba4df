package dev.timestamp.support;

/**
 * One UDP request and its reply, from a fresh socket on the loopback address.
 */
public final class Udp {

	private Udp() {
	}

	public static byte[] exchange(int port, byte[] request) {
		try (UdpTestSocket socket = UdpTestSocket.loopback()) {
			return socket.send(port, request).receivePayload();
		}
	}

}
