package dev.timestamp;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;

import dev.timestamp.bench.BenchCommand;
import dev.timestamp.client.ClientCommand;
import dev.timestamp.client.Io;
import dev.timestamp.client.TcpClientCommand;
import dev.timestamp.client.UdpClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tools in the same jar: {@code client tcp|udp} and
 * {@code bench tcp|udp}. They start no Spring context, no listener and no HTTP port.
 */
@Command(name = "java -jar timestamp-service.jar", mixinStandardHelpOptions = true,
		subcommands = CommandLine.HelpCommand.class, versionProvider = Cli.Version.class,
		description = { "Without a command: runs the server; its settings are --name=value arguments",
				"(--timestamp.tcp.port=7000, see docs/configuration.md). Commands: client, bench, help." })
public final class Cli {

	private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

	private Cli() {
	}

	/**
	 * Whether these arguments ask for a tool, for help, or are not server settings at
	 * all: the server takes only {@code --name=value} arguments, so a first argument
	 * without {@code --} is a command, and a misspelt one must not start a public
	 * listener.
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && (!args[0].startsWith("--") || Arrays.stream(args).anyMatch(HELP::contains));
	}

	/**
	 * Runs a tool; returns its exit code (0 all answered, 1 some request failed, 2
	 * usage).
	 */
	public static int run(Io io, String... args) {
		CommandLine commandLine = new CommandLine(new Cli())
			.addSubcommand(new CommandLine(new ClientCommand()).addSubcommand(new TcpClientCommand(io))
				.addSubcommand(new UdpClientCommand(io)))
			.addSubcommand(new BenchCommand(io));
		commandLine.setOut(new PrintWriter(io.out(), true));
		commandLine.setErr(new PrintWriter(io.err(), true));
		// A misspelt command gets the suggestion and the usage, and exit code 2.
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			PrintWriter err = ex.getCommandLine().getErr();
			err.println(ex.getMessage());
			CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
			ex.getCommandLine().usage(err);
			return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
		});
		commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
			io.err().println("timestamp " + cmd.getCommandName() + ": " + ex);
			return 1;
		});
		return commandLine.execute(args);
	}

	/** The version the build recorded in {@code META-INF/build-info.properties}. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() throws IOException {
			Properties build = new Properties();
			try (InputStream in = Cli.class.getResourceAsStream("/META-INF/build-info.properties")) {
				if (in != null) {
					build.load(in);
				}
			}
			return new String[] { "timestamp-service " + build.getProperty("build.version", "(unknown version)") };
		}

	}

}
