package dev.timestamp.messaging;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of a request message: a message id and the one header the reply needs to
 * find its way back (the connection id, or the UDP sender). No {@code timestamp} header:
 * nothing in the flows reads it, and it would cost a clock read and a map entry per
 * request.
 */
public final class RequestHeaders extends MessageHeaders {

	private RequestHeaders(String name, Object value) {
		super(null, null, -1L);
		getRawHeaders().put(name, value);
	}

	private RequestHeaders(String name, Object value, String name2, Object value2) {
		this(name, value);
		getRawHeaders().put(name2, value2);
	}

	public static MessageHeaders of(String name, Object value) {
		return new RequestHeaders(name, value);
	}

	public static MessageHeaders of(String name, Object value, String name2, Object value2) {
		return new RequestHeaders(name, value, name2, value2);
	}

}
