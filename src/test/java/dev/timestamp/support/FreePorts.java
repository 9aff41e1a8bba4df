package dev.timestamp.support;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A port for a program that cannot report the one it bound (haproxy, prometheus, a
 * script): one the kernel just handed out and released, so almost certainly free.
 */
public final class FreePorts {

	private FreePorts() {
	}

	public static int next() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
