package dev.timestamp;

import dev.timestamp.bench.BenchCommand;
import dev.timestamp.client.ClientCommand;
import dev.timestamp.client.Io;
import dev.timestamp.client.TcpClientCommand;
import dev.timestamp.client.UdpClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tools in the same jar: {@code client tcp|udp} and {@code bench tcp|udp}.
 * They start no Spring context, no listener and no HTTP port.
 */
@Command(name = "java -jar timestamp-service.jar", mixinStandardHelpOptions = true,
		description = "Without a command: runs the server. Commands: client, bench.")
public final class Cli {

	/** Whether these arguments ask for a tool rather than the server. */
	public static boolean handles(String[] args) {
		return args.length > 0 && (args[0].equals("client") || args[0].equals("bench"));
	}

	/** Runs a tool; returns its exit code (0 all answered, 1 some request failed, 2 usage). */
	public static int run(Io io, String... args) {
		CommandLine commandLine = new CommandLine(new Cli())
			.addSubcommand(new CommandLine(new ClientCommand()).addSubcommand(new TcpClientCommand(io))
				.addSubcommand(new UdpClientCommand(io)))
			.addSubcommand(new BenchCommand(io));
		commandLine.setOut(new java.io.PrintWriter(io.out(), true));
		commandLine.setErr(new java.io.PrintWriter(io.err(), true));
		commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
			io.err().println("timestamp " + cmd.getCommandName() + ": " + ex);
			return 1;
		});
		return commandLine.execute(args);
	}

}
