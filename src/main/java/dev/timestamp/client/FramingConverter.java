package dev.timestamp.client;

import dev.timestamp.framing.Framing;
import picocli.CommandLine.ITypeConverter;

public class FramingConverter implements ITypeConverter<Framing> {

	@Override
	public Framing convert(String value) {
		return Framing.fromConfigName(value);
	}

}
