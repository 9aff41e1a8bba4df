package dev.timestamp.framing;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@code timestamp.tcp.framing} by its configuration name, and names the valid ones
 * when the value is not one of them.
 */
@Component
@ConfigurationPropertiesBinding
public class StringToFramingConverter implements Converter<String, Framing> {

	@Override
	public Framing convert(String source) {
		return Framing.fromConfigName(source);
	}

}
