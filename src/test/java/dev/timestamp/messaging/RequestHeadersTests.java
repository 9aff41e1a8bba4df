package dev.timestamp.messaging;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadersTests {

	@Test
	void carriesTheOneRoutingHeaderAndNothingElse() {
		MessageHeaders headers = RequestHeaders.of("ip_connectionId", "tcp-1");

		assertThat(headers).containsOnlyKeys("ip_connectionId").containsEntry("ip_connectionId", "tcp-1");
	}

	@Test
	void carriesTwoHeadersAndNoIdOrTimestamp() {
		MessageHeaders headers = RequestHeaders.of("ip_connectionId", "tcp-1", "ip_address", "127.0.0.1");

		assertThat(headers).containsOnlyKeys("ip_connectionId", "ip_address");
		assertThat(headers.getId()).isNull();
		assertThat(headers.getTimestamp()).isNull();
	}

}
