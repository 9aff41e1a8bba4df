package dev.timestamp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The jar {@code package} built, for the tests that run after it (the {@code *IT}s). */
public final class PackagedJar {

	private PackagedJar() {
	}

	public static Path path() throws IOException {
		try (Stream<Path> jars = Files.list(Path.of("target"))) {
			return jars.filter((p) -> p.getFileName().toString().matches("timestamp-service-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no packaged jar in target/"));
		}
	}

}
