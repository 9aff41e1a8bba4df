package dev.timestamp.startup;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Why a listener could not bind, told apart for the advice an operator needs: another
 * process has the port, or the address is not one of this host's (a pod's address written
 * into the settings and then rescheduled, say). The failure's own message says the rest.
 */
enum BindFailure {

	PORT_IN_USE, ADDRESS_NOT_LOCAL, OTHER;

	static BindFailure of(InetAddress address, Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("Address already in use")) {
				return PORT_IN_USE;
			}
		}
		return isLocal(address) ? OTHER : ADDRESS_NOT_LOCAL;
	}

	private static boolean isLocal(InetAddress address) {
		try {
			return address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	/**
	 * What to change, for a listener set by {@code portProperty} and
	 * {@code addressProperty}.
	 */
	String action(String transport, InetAddress address, int port, String portProperty, String addressProperty) {
		return switch (this) {
			case PORT_IN_USE ->
				"Stop the process that uses " + transport + " port " + port + ", or set '" + portProperty
						+ "' to another port (0 picks a free one) or '" + addressProperty + "' to another address.";
			case ADDRESS_NOT_LOCAL -> address.getHostAddress() + " is not an address of this host: set '"
					+ addressProperty + "' to one of its addresses, or to 0.0.0.0 for all of them.";
			case OTHER -> "Set '" + portProperty + "' and '" + addressProperty
					+ "' to a port and address this host lets the service bind (0 picks a free port).";
		};
	}

}
