package dev.timestamp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.jayway.jsonpath.JsonPath;

/**
 * A real HTTP GET against the running application's actuator, on a fresh connection each
 * time (a pooled keep-alive connection could outlive the server of an earlier test).
 */
public record HttpResult(int status, String body) {

	public static HttpResult get(int port, String path) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(10_000);
			connection.setRequestProperty("Connection", "close");
			try {
				int status = connection.getResponseCode();
				InputStream stream = (status < 400) ? connection.getInputStream() : connection.getErrorStream();
				String body = (stream != null) ? new String(stream.readAllBytes(), StandardCharsets.UTF_8) : "";
				return new HttpResult(status, body);
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Reads a JSON path from the body, e.g. {@code $.components.tcp.status}. */
	public <T> T json(String path) {
		return JsonPath.read(this.body, path);
	}

}
