package dev.timestamp.client;

import dev.timestamp.framing.Framing;
import dev.timestamp.framing.StringToFramingConverter;
import picocli.CommandLine.ITypeConverter;

public class FramingConverter implements ITypeConverter<Framing> {

	@Override
	public Framing convert(String value) {
		return new StringToFramingConverter().convert(value);
	}

}
