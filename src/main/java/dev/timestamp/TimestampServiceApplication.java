package dev.timestamp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A TCP and UDP timestamp echo server: every request is answered with
 * {@code [<timestamp>] <request>}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TimestampServiceApplication {

	public static void main(String[] args) {
		if (Cli.handles(args)) {
			System.exit(Cli.run(dev.timestamp.client.Io.system(), args));
		}
		SpringApplication.run(TimestampServiceApplication.class, args);
	}

}
