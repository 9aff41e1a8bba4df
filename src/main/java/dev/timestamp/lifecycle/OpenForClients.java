package dev.timestamp.lifecycle;

import dev.timestamp.tcp.NettyTcpServerConnectionFactory;
import dev.timestamp.udp.UdpInboundEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Lets the listeners accept connections and read datagrams once every flow is whole. They
 * bind when their adapters start (a port in use fails the start at once), but an adapter
 * can start its listener before the other end of its flow is subscribed, and a client
 * served in between would meet "Dispatcher has no subscribers". This runs in the phase
 * right after the one Spring Integration starts its inbound adapters in, and before the
 * HTTP server's: the listeners need nothing the HTTP port builds (see
 * {@link EagerTransports}).
 */
@Component
class OpenForClients extends PhasedLifecycle {

	static final int PHASE = LISTENERS_OPEN;

	private final ObjectProvider<NettyTcpServerConnectionFactory> tcp;

	private final ObjectProvider<UdpInboundEndpoint> udp;

	OpenForClients(ObjectProvider<NettyTcpServerConnectionFactory> tcp, ObjectProvider<UdpInboundEndpoint> udp) {
		super(PHASE);
		this.tcp = tcp;
		this.udp = udp;
	}

	@Override
	public void start() {
		this.tcp.orderedStream().forEach(NettyTcpServerConnectionFactory::openForClients);
		this.udp.orderedStream().forEach(UdpInboundEndpoint::openForClients);
		super.start();
	}

}
