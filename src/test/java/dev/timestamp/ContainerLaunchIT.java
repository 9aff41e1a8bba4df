package dev.timestamp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.timestamp.support.FreePorts;
import dev.timestamp.support.HttpResult;
import dev.timestamp.support.PackagedJar;
import dev.timestamp.support.ServerProcess;
import dev.timestamp.support.TcpTestClient;
import dev.timestamp.support.Udp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.timestamp.support.Replies.assertStamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * There is no container engine here, so this runs the packaged jar exactly as the
 * Dockerfile's stages do: the same layered extraction, the same AOT-cache training run
 * and the same ENTRYPOINT with its JVM flags, all read from the Dockerfile so the two
 * cannot drift. Then it checks health and a TCP and a UDP round trip.
 */
@Timeout(300)
class ContainerLaunchIT {

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	@TempDir
	Path work;

	@Test
	void runsAsTheImageRunsIt() throws Exception {
		String dockerfile = Files.readString(DOCKERFILE);
		Path java = java25();
		Path jar = PackagedJar.path();

		// Build stage: extract the layers.
		Files.copy(jar, this.work.resolve("app.jar"), StandardCopyOption.REPLACE_EXISTING);
		run(command(runLine(dockerfile, "java -Djarmode=tools"), java, Path.of("/app.jar"),
				this.work.resolve("app.jar")), this.work, Map.of());
		// Runtime stage: COPY each layer into /app, in the Dockerfile's order.
		Path app = Files.createDirectories(this.work.resolve("app"));
		Matcher copies = Pattern.compile("COPY --from=build /extract/(extracted/[\\w-]+)/ \\./").matcher(dockerfile);
		int layers = 0;
		while (copies.find()) {
			copyTree(this.work.resolve(copies.group(1)), app);
			layers++;
		}
		assertThat(layers).isEqualTo(4);
		assertThat(app.resolve("app.jar")).exists();
		// The AOT cache training run: it serves the bench's traffic before the cache is
		// written.
		String training = train(dockerfile, java, app);
		assertThat(training).contains("tcp 127.0.0.1", "churn 127.0.0.1", "udp 127.0.0.1");
		assertThat(Pattern.compile("(?m)^errors +0 .* timeouts 0 +lost 0").matcher(training).results()).hasSize(4);
		assertThat(app.resolve("app.aot")).exists();

		List<String> entrypoint = new ArrayList<>(entrypoint(dockerfile));
		assertThat(entrypoint.get(0)).isEqualTo("java");
		entrypoint.set(0, java.toString());
		entrypoint.addAll(List.of("--timestamp.bind-address=127.0.0.1", "--timestamp.tcp.port=0",
				"--timestamp.udp.port=0", "--server.port=0"));
		try (ServerProcess server = ServerProcess.launch(entrypoint, app.toFile())) {
			Duration startup = Duration.ofSeconds(60);
			int tcpPort = Integer.parseInt(server.await("TCP listening on 127\\.0\\.0\\.1:(\\d+)", startup));
			int udpPort = Integer.parseInt(server.await("UDP listening on 127\\.0\\.0\\.1:(\\d+)", startup));
			int httpPort = Integer.parseInt(server.await("Netty started on port (\\d+)", startup));
			assertThat(server.output()).contains("Starting AOT-processed")
				.doesNotContain("WARN")
				.doesNotContain("ERROR");
			assertThat(HttpResult.get(httpPort, "/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(HttpResult.get(httpPort, "/actuator/health/liveness").status()).isEqualTo(200);
			try (TcpTestClient client = new TcpTestClient(tcpPort)) {
				client.send("from the image\n");
				assertStamped(client.readCrlfLine(), "from the image");
			}
			byte[] request = "from the image".getBytes(StandardCharsets.US_ASCII);
			assertStamped(Udp.exchange(udpPort, request), request);
			server.signalTerm();
			assertThat(server.waitForExit(Duration.ofSeconds(30))).isZero();
		}
	}

	@Test
	void trainsTheCacheWithTheEntrypointsJvmFlags() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		List<String> script = trainingCommand(dockerfile);
		List<String> training = jvmFlags(script.subList(2, script.size()));
		List<String> entrypoint = jvmFlags(entrypoint(dockerfile));
		assertThat(training).contains("-XX:AOTCacheOutput=app.aot");
		assertThat(entrypoint).contains("-XX:AOTCache=app.aot");
		// Trained as it runs: the cache's method profiles come from the JVM the image
		// starts.
		training.remove("-XX:AOTCacheOutput=app.aot");
		entrypoint.remove("-XX:AOTCache=app.aot");
		assertThat(training).isEqualTo(entrypoint);
	}

	@Test
	void runsAsANonRootUserAndExposesTheServicePorts() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		assertThat(dockerfile).containsPattern("(?m)^USER [1-9]\\d*:[1-9]\\d*$");
		assertThat(dockerfile).contains("EXPOSE 21567/tcp 21567/udp 21568/tcp 8080/tcp");
		assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:25-jre$");
		assertThat(entrypoint(dockerfile)).contains("-XX:MaxRAMPercentage=50", "-jar", "app.jar");
	}

	private static String runLine(String dockerfile, String start) {
		Matcher matcher = Pattern.compile("(?m)^RUN (" + Pattern.quote(start) + ".*)$").matcher(dockerfile);
		assertThat(matcher.find()).as("a RUN line starting with " + start).isTrue();
		return matcher.group(1);
	}

	/**
	 * The training RUN line's command: {@code bash <script> java <flags> -jar app.jar},
	 * the script mounted from the build context.
	 */
	private static List<String> trainingCommand(String dockerfile) {
		Matcher matcher = Pattern.compile("(?m)^RUN --mount=type=bind,source=(\\S+),target=(\\S+) (bash \\2 java .*)$")
			.matcher(dockerfile);
		assertThat(matcher.find()).as("a RUN line that runs the training script").isTrue();
		List<String> words = new ArrayList<>(List.of(matcher.group(3).trim().split("\\s+")));
		words.set(1, matcher.group(1));
		return words;
	}

	/** Runs the training as the image build does, on free ports; returns its output. */
	private static String train(String dockerfile, Path java, Path app) throws IOException, InterruptedException {
		List<String> command = trainingCommand(dockerfile);
		command.set(1, Path.of(command.get(1)).toAbsolutePath().toString());
		command.set(2, java.toString());
		return run(command, app, Map.of("PATH", java.getParent() + ":" + System.getenv("PATH"), "TRAINING_PORT",
				Integer.toString(FreePorts.next()), "TRAINING_HTTP_PORT", Integer.toString(FreePorts.next())));
	}

	/** The words between {@code java} and {@code -jar}. */
	private static List<String> jvmFlags(List<String> command) {
		assertThat(command.get(0)).isEqualTo("java");
		return new ArrayList<>(command.subList(1, command.indexOf("-jar")));
	}

	private static List<String> command(String line, Path java, Path from, Path to) {
		List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
		words.set(0, java.toString());
		words.replaceAll((word) -> word.equals(from.toString()) ? to.toString() : word);
		return words;
	}

	private static List<String> entrypoint(String dockerfile) {
		Matcher matcher = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)\\]$").matcher(dockerfile);
		assertThat(matcher.find()).as("an exec-form ENTRYPOINT").isTrue();
		List<String> words = new ArrayList<>();
		Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(matcher.group(1));
		while (word.find()) {
			words.add(word.group(1));
		}
		return words;
	}

	/** Runs a command to its end, asserting it succeeded; returns its output. */
	private static String run(List<String> command, Path directory, Map<String, String> environment)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(240, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
		return output;
	}

	@Test
	void theJarCarriesTheNativeTransportForX86AndArmNodes() throws Exception {
		try (JarFile jar = new JarFile(PackagedJar.path().toFile())) {
			List<String> natives = jar.stream()
				.map(JarEntry::getName)
				.filter((name) -> name.matches("BOOT-INF/lib/netty-transport-native-epoll-.*\\.jar"))
				.toList();
			assertThat(natives).anyMatch((name) -> name.endsWith("-linux-x86_64.jar"))
				.anyMatch((name) -> name.endsWith("-linux-aarch_64.jar"));
			assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
		}
	}

	@Test
	void aPlainJavaJarOnJava25LoadsTheNativeTransportWithoutWarnings() throws Exception {
		Path java = java25();
		// The bench loads Netty's epoll transport; nothing listens on port 1, so it ends
		// at once.
		Process process = new ProcessBuilder(java.toString(), "-jar", PackagedJar.path().toString(), "bench", "udp",
				"--port", "1", "-c", "1", "--timeout", "500ms")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(output).contains("could not reach udp")
			.doesNotContain("restricted method")
			.doesNotContain("WARNING");
	}

	private static Path java25() throws IOException {
		String home = System.getenv("JAVA25_HOME");
		if (home != null) {
			return Path.of(home, "bin", "java");
		}
		Path jvms = Path.of("/usr/lib/jvm");
		if (Files.isDirectory(jvms)) {
			try (Stream<Path> candidates = Files.list(jvms)) {
				Path found = candidates.filter((p) -> p.getFileName().toString().matches("(temurin-|java-|jdk-?)25.*"))
					.map((p) -> p.resolve("bin/java"))
					.filter(Files::isExecutable)
					.findFirst()
					.orElse(null);
				if (found != null) {
					return found;
				}
			}
		}
		assumeTrue(false, "the image's runtime is Java 25 (AOT cache); set JAVA25_HOME to run this test");
		return null;
	}

	private static void copyTree(Path from, Path to) throws IOException {
		if (!Files.exists(from)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : (Iterable<Path>) paths::iterator) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

}
