package dev.timestamp.stamp;

import org.springframework.integration.transformer.AbstractTransformer;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * The flows' transform step: the reply is the stamped payload with the request's headers
 * (they route it back). Built directly rather than through a lambda and a message
 * builder, which reflect on the lambda and copy the headers twice for every request. The
 * reply shares the request's immutable headers: it is the same exchange on its way back
 * to the socket, and copying them was the largest single cost per request.
 */
public final class StampTransformer extends AbstractTransformer {

	private final TimestampingService service;

	public StampTransformer(TimestampingService service) {
		this.service = service;
	}

	@Override
	protected Object doTransform(Message<?> request) {
		return new GenericMessage<>(this.service.stamp((byte[]) request.getPayload()), request.getHeaders());
	}

	@Override
	public String getComponentType() {
		return "stamp-transformer";
	}

}
