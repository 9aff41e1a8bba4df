package dev.timestamp.client;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * The streams a command uses, and whether a person is typing at it.
 */
public record Io(InputStream in, PrintStream out, PrintStream err, boolean interactive) {

	/**
	 * The process's own streams; interactive when standard input and output are a
	 * terminal.
	 */
	public static Io system() {
		return new Io(System.in, System.out, System.err, isTerminal(System.console()));
	}

	private static boolean isTerminal(Console console) {
		if (console == null) {
			return false;
		}
		try {
			// From Java 22 on, console() is not null for redirected streams; isTerminal()
			// tells.
			Method isTerminal = Console.class.getMethod("isTerminal");
			return (Boolean) isTerminal.invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
