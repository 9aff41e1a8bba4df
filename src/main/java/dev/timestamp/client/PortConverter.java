package dev.timestamp.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A TCP or UDP port, 1–65535; anything else is a usage error (exit code 2), not a failure
 * to connect.
 */
public class PortConverter implements ITypeConverter<Integer> {

	@Override
	public Integer convert(String value) {
		int port;
		try {
			port = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new TypeConversionException("'" + value + "' is not a port number");
		}
		if (port < 1 || port > 65535) {
			throw new TypeConversionException("port " + value + " is out of range (1-65535)");
		}
		return port;
	}

}
