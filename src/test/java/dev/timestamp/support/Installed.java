package dev.timestamp.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Third-party programs the tests run as users have them (Debian's packages, which .ci/run
 * installs). A test that needs one is skipped, saying so, where it is missing.
 */
public final class Installed {

	private Installed() {
	}

	/**
	 * The program's path; skips the calling test with a clear message where it is
	 * missing.
	 */
	public static Path program(String name, String debianPackage) {
		Path found = Stream.of(System.getenv("PATH").split(":"))
			.map((directory) -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		Assumptions.assumeTrue(found != null, () -> name + " is not installed: this test needs Debian's '"
				+ debianPackage + "' package (.ci/run installs it: apt-get install -y " + debianPackage + ")");
		return found;
	}

}
