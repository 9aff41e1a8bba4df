package dev.timestamp.messaging;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of a request message: the one or two headers the reply needs to find its
 * way back (the connection id, or the UDP sender) and nothing else.
 * <ul>
 * <li>No {@code timestamp}: nothing in the flows reads it, and it would cost a clock read
 * and a map entry per request.</li>
 * <li>No {@code id} ({@link MessageHeaders#ID_VALUE_NONE}, Spring's own way to leave it
 * out): nothing in the flows keys on message ids, and making one per request costs an
 * increment of a counter that every event loop shares, the only write per request that
 * all loops would contend for besides the request timer's histogram.</li>
 * </ul>
 */
public final class RequestHeaders extends MessageHeaders {

	private RequestHeaders(String name, Object value) {
		super(null, ID_VALUE_NONE, -1L);
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
