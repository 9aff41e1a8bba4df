package dev.timestamp.client;

import picocli.CommandLine.Mixin;

/**
 * How the TCP client and the TCP load open a connection: a PROXY protocol header first if
 * asked for, then TLS if asked for.
 */
public class TcpConnectOptions {

	@Mixin
	private ProxyOptions proxy = new ProxyOptions();

	@Mixin
	private TlsOptions tls = new TlsOptions();

	public ProxyOptions proxy() {
		return this.proxy;
	}

	public TlsOptions tls() {
		return this.tls;
	}

}
