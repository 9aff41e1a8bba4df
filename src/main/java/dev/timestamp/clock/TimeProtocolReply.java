package dev.timestamp.clock;

import java.util.function.Supplier;

import org.springframework.integration.transformer.AbstractTransformer;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * The Time and Daytime flows' transform step: whatever the request (an empty one for a
 * TCP connection, any datagram over UDP), the reply is the protocol's answer from the
 * stamping service, with the request's headers, which route it back.
 */
final class TimeProtocolReply extends AbstractTransformer {

	private final Supplier<byte[]> reply;

	TimeProtocolReply(Supplier<byte[]> reply) {
		this.reply = reply;
	}

	@Override
	protected Object doTransform(Message<?> request) {
		return new GenericMessage<>(this.reply.get(), request.getHeaders());
	}

	@Override
	public String getComponentType() {
		return "time-protocol-transformer";
	}

}
