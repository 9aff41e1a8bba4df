package dev.timestamp.client;

import picocli.CommandLine.Command;

/**
 * {@code client}: the parent of {@code tcp} and {@code udp}.
 */
@Command(name = "client", description = "Talk to a timestamp server, like the tutorial's clients.",
		mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(tcp | udp)")
public class ClientCommand {

}
