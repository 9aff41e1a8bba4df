package dev.timestamp.messaging;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.IdGenerators;
import org.springframework.util.IdGenerator;

/**
 * How messages are made. Every request and reply is a Spring Integration message, and by
 * default each gets a random UUID; an incrementing id is unique within the process and
 * costs an atomic increment instead.
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

	/**
	 * One instance per JVM: Spring Integration installs it JVM-wide, and a second
	 * instance would be refused.
	 */
	private static final IdGenerator MESSAGE_IDS = new IdGenerators.SimpleIncrementingIdGenerator();

	@Bean
	IdGenerator messageIdGenerator() {
		return MESSAGE_IDS;
	}

}
