package dev.timestamp.stamp;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@code timestamp.format}; an invalid pattern fails the binding of that property.
 */
@Component
@ConfigurationPropertiesBinding
public class StringToTimestampFormatConverter implements Converter<String, TimestampFormat> {

	@Override
	public TimestampFormat convert(String source) {
		return TimestampFormat.of(source);
	}

}
