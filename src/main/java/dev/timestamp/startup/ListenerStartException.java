package dev.timestamp.startup;

import java.net.InetSocketAddress;

import io.netty.util.NetUtil;

/**
 * A listener could not bind its address (typically: the port is in use). Ends the
 * start-up.
 */
public class ListenerStartException extends RuntimeException {

	private final String transport;

	private final InetSocketAddress address;

	private final String portProperty;

	public ListenerStartException(String transport, InetSocketAddress address, String portProperty, Throwable cause) {
		super(transport + " listener could not bind " + NetUtil.toSocketAddressString(address) + ": "
				+ cause.getMessage(), cause);
		this.transport = transport;
		this.address = address;
		this.portProperty = portProperty;
	}

	public String getTransport() {
		return this.transport;
	}

	public InetSocketAddress getAddress() {
		return this.address;
	}

	public String getPortProperty() {
		return this.portProperty;
	}

}
