package dev.timestamp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.timestamp.support.CliRun;
import dev.timestamp.support.Installed;
import dev.timestamp.support.JavaProcess;
import dev.timestamp.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents cannot drift from the program: what they show it print is what it prints,
 * every relative link lands on a file and heading, and they stay short and read as a
 * description of the product, not as a journal.
 */
@ExtendWith(OutputCaptureExtension.class)
class DocumentsTests {

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Pattern NUMBER = Pattern.compile("\\d[\\d,]*(?:\\.\\d+)?");

	private static final Pattern JOURNAL = Pattern
		.compile("(?i:\\b(today|yesterday|(this|same|later|earlier|previous|next) session|session \\d+)\\b)"
				+ "|\\bI\\b(?!/)|\\b([Ww]e|[Oo]ur|[Uu]s)\\b");

	@Test
	void everyRelativeLinkLandsOnAFileAndItsHeading() {
		List<String> broken = new ArrayList<>();
		for (Path document : documents()) {
			for (String line : prose(document)) {
				Matcher link = LINK.matcher(line);
				while (link.find()) {
					String target = link.group(1);
					if (target.startsWith("http://") || target.startsWith("https://")) {
						continue;
					}
					int hash = target.indexOf('#');
					String file = (hash < 0) ? target : target.substring(0, hash);
					Path resolved = file.isEmpty() ? document : document.resolveSibling(file).normalize();
					if (!Files.exists(resolved)) {
						broken.add(document + ": " + target + " (no such file)");
					}
					else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
						broken.add(document + ": " + target + " (no such heading)");
					}
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	@Test
	void noTableCellIsOverFortyWords() {
		List<String> tooLong = new ArrayList<>();
		for (Path document : documents()) {
			for (String line : prose(document)) {
				if (line.startsWith("|")) {
					for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
						int words = cell.isBlank() ? 0 : cell.trim().split("\\s+").length;
						if (words > 40) {
							tooLong.add(document + ": " + words + " words: " + cell.trim());
						}
					}
				}
			}
		}
		assertThat(tooLong).isEmpty();
	}

	@Test
	void theReadmeAndTheBenchmarkReportKeepToTheirLength() throws IOException {
		assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(250);
		assertThat(Files.readAllLines(Path.of("docs/benchmarks.md"))).hasSizeLessThanOrEqualTo(400);
	}

	@Test
	void noDocumentReadsLikeAJournal() {
		List<String> found = new ArrayList<>();
		for (Path document : documents()) {
			for (String line : prose(document)) {
				if (line.startsWith("#") && line.matches(".*\\b20\\d\\d\\b.*")) {
					found.add(document + ": dated heading: " + line);
				}
				Matcher journal = JOURNAL.matcher(line);
				if (journal.find()) {
					found.add(document + ": '" + journal.group() + "' in: " + line);
				}
			}
		}
		assertThat(found).isEmpty();
	}

	@Test
	void theListeningLinesShownAreTheOnesTheServerLogs(CapturedOutput output) {
		List<String> shown = codeLinesContaining(" listening on ");
		assertThat(shown).isNotEmpty();
		try (RunningServer server = RunningServer.start("--timestamp.bind-address=0.0.0.0")) {
			for (String line : shown) {
				String pattern = shapeOf(line.substring(line.indexOf(" dev.timestamp.")));
				assertThat(output.getOut().lines().anyMatch((logged) -> logged.matches(".*" + pattern)))
					.as("a logged line like: " + line)
					.isTrue();
			}
		}
	}

	@Test
	void theMisspeltSettingMessageShownIsTheOneTheServerPrints() throws Exception {
		List<List<String>> blocks = codeBlocksStartingWith("Unknown setting(s):");
		assertThat(blocks).isNotEmpty();
		JavaProcess result = JavaProcess.run(Map.of("TIMESTAMP_TCP_PORTT", "1"), "--timestamp.bind-address=127.0.0.1",
				"--timestamp.tcp.port=0", "--timestamp.udp.port=0", "--server.port=0");
		assertThat(result.exitCode()).isNotZero();
		List<String> printed = result.output().lines().map(String::stripTrailing).toList();
		for (List<String> block : blocks) {
			assertThat(printed).containsSubsequence(block);
		}
	}

	@Test
	void theBenchReportShownHasTheShapeOfWhatBenchPrints() {
		List<List<String>> blocks = codeBlocksStartingWith(
				"$ java -jar target/timestamp-service-0.1.0-SNAPSHOT.jar bench tcp");
		assertThat(blocks).hasSize(1);
		List<String> shown = blocks.get(0).subList(1, blocks.get(0).size());
		try (RunningServer server = RunningServer.start()) {
			CliRun run = CliRun.piped("", "bench", "tcp", "--port", String.valueOf(server.tcpPort()), "-c", "4", "-p",
					"4", "-d", "1", "-w", "1");
			assertThat(run.exitCode()).isZero();
			List<String> printed = run.out().lines().toList();
			assertThat(printed).hasSameSizeAs(shown);
			for (int i = 0; i < shown.size(); i++) {
				assertThat(printed.get(i)).matches(shapeOf(shown.get(i)));
			}
		}
	}

	@Test
	void theAlertRulesShownAreRulesPrometheusAccepts(@TempDir Path dir) throws Exception {
		List<List<String>> blocks = codeBlocksStartingWith("groups:");
		assertThat(blocks).isNotEmpty();
		Path promtool = Installed.program("promtool", "prometheus");
		for (List<String> block : blocks) {
			Path rules = dir.resolve("rules.yml");
			Files.writeString(rules, String.join("\n", block) + "\n");
			Process check = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
				.redirectErrorStream(true)
				.start();
			String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(check.waitFor()).as(output).isZero();
			assertThat(output).contains("SUCCESS: 3 rules found");
		}
	}

	@Test
	void theClientOptionsInTheGuideAreTheOnesHelpShows() {
		Set<String> help = new TreeSet<>(helpOptions("client", "tcp", "--help"));
		help.addAll(helpOptions("client", "udp", "--help"));
		assertThat(guideOptions("## Clients")).isEqualTo(help);
	}

	@Test
	void theBenchOptionsInTheGuideAreTheOnesHelpShows() {
		assertThat(guideOptions("## bench")).isEqualTo(helpOptions("bench", "--help"));
	}

	/** The options {@code --help} lists, long and short. */
	private static Set<String> helpOptions(String... command) {
		CliRun run = CliRun.piped("", command);
		assertThat(run.exitCode()).isZero();
		Set<String> options = new TreeSet<>();
		Matcher option = Pattern.compile("(?m)^ {2}(-\\w), (--[\\w-]+)|^ {6}(--[\\w-]+)").matcher(run.out());
		while (option.find()) {
			for (int group = 1; group <= 3; group++) {
				if (option.group(group) != null) {
					options.add(option.group(group));
				}
			}
		}
		return options;
	}

	/** The options in the first column of the tables of a section of the tools guide. */
	private static Set<String> guideOptions(String heading) {
		List<String> lines = prose(Path.of("docs/tools.md"));
		int start = lines.indexOf(heading);
		assertThat(start).as(heading).isNotNegative();
		Set<String> options = new TreeSet<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			if (line.startsWith("| `-")) {
				Matcher option = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)")
					.matcher(line.split("(?<!\\\\)\\|")[1]);
				while (option.find()) {
					options.add(option.group(1));
				}
			}
		}
		return options;
	}

	/**
	 * A regular expression for lines like this one, whatever their numbers and however
	 * wide their padding.
	 */
	private static String shapeOf(String line) {
		StringBuilder pattern = new StringBuilder();
		Matcher number = NUMBER.matcher(line);
		int last = 0;
		while (number.find()) {
			pattern.append(literally(line.substring(last, number.start()))).append(NUMBER.pattern());
			last = number.end();
		}
		return pattern.append(literally(line.substring(last))).toString();
	}

	private static String literally(String text) {
		StringBuilder pattern = new StringBuilder();
		for (String word : text.split("(?<=\\s)(?=\\S)|(?<=\\S)(?=\\s)")) {
			if (!word.isEmpty()) {
				pattern.append(word.isBlank() ? "\\s+" : Pattern.quote(word));
			}
		}
		return pattern.toString();
	}

	private static List<Path> documents() {
		List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return documents;
	}

	/** A document's lines outside code blocks. */
	private static List<String> prose(Path document) {
		List<String> prose = new ArrayList<>();
		boolean code = false;
		for (String line : lines(document)) {
			if (line.startsWith("```")) {
				code = !code;
			}
			else if (!code) {
				prose.add(line);
			}
		}
		return prose;
	}

	/** The code blocks of every document whose first line starts so. */
	private static List<List<String>> codeBlocksStartingWith(String start) {
		List<List<String>> blocks = new ArrayList<>();
		for (Path document : documents()) {
			List<String> block = null;
			for (String line : lines(document)) {
				if (line.startsWith("```")) {
					if (block != null && !block.isEmpty() && block.get(0).startsWith(start)) {
						blocks.add(block);
					}
					block = (block != null) ? null : new ArrayList<>();
				}
				else if (block != null) {
					block.add(line.stripTrailing());
				}
			}
		}
		return blocks;
	}

	private static List<String> codeLinesContaining(String text) {
		List<String> found = new ArrayList<>();
		for (Path document : documents()) {
			boolean code = false;
			for (String line : lines(document)) {
				if (line.startsWith("```")) {
					code = !code;
				}
				else if (code && line.contains(text)) {
					found.add(line);
				}
			}
		}
		return found;
	}

	/** The anchors of a document's headings, as GitHub makes them. */
	private static Set<String> anchors(Path document) {
		Set<String> anchors = new TreeSet<>();
		for (String line : prose(document)) {
			if (line.startsWith("#")) {
				anchors.add(line.replaceFirst("^#+\\s*", "")
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N}_ -]", "")
					.replace(' ', '-'));
			}
		}
		return anchors;
	}

	private static List<String> lines(Path document) {
		try {
			return Files.readAllLines(document);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
