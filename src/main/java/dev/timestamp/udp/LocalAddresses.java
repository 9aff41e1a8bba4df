package dev.timestamp.udp;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses of this host's interfaces that are up.
 */
final class LocalAddresses {

	private LocalAddresses() {
	}

	static List<InetAddress> up() {
		List<InetAddress> addresses = new ArrayList<>();
		try {
			for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (networkInterface.isUp()) {
					addresses.addAll(Collections.list(networkInterface.getInetAddresses()));
				}
			}
		}
		catch (SocketException ex) {
			// No interface list: only the wildcard socket answers, as before.
		}
		return addresses;
	}

}
