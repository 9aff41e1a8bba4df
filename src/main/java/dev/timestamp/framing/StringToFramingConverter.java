package dev.timestamp.framing;

import java.util.Arrays;
import java.util.stream.Collectors;

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
		String name = source.trim();
		for (Framing framing : Framing.values()) {
			if (framing.configName().equalsIgnoreCase(name) || framing.name().equalsIgnoreCase(name)) {
				return framing;
			}
		}
		throw new IllegalArgumentException("unknown framing '" + source + "'; use one of "
				+ Arrays.stream(Framing.values()).map(Framing::configName).collect(Collectors.joining(", ")));
	}

}
