package dev.timestamp.tcp;

import java.util.Map;

import dev.timestamp.messaging.RequestHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Maps a request to a message that carries what the reply needs (the payload and the
 * connection id that routes the reply back) and the client's address ({@code ip_address}:
 * the address a trusted PROXY header declared, else the peer's). The stock mapper adds
 * host name, ports and more to every message, which costs more than the whole reply; no
 * host name is looked up.
 */
final class ConnectionIdMapper extends TcpMessageMapper {

	@Override
	public @Nullable Message<?> toMessage(TcpConnection connection, @Nullable Map<String, Object> headers) {
		Object payload = connection.getPayload();
		if (payload == null) {
			return null;
		}
		return new GenericMessage<>(payload, RequestHeaders.of(IpHeaders.CONNECTION_ID, connection.getConnectionId(),
				IpHeaders.IP_ADDRESS, connection.getHostAddress()));
	}

}
