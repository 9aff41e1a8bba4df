package dev.timestamp.support;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): every line
 * must be a HELP or TYPE comment or a sample of a family declared before it, and no
 * series may appear twice. Samples are keyed as {@code name{label="value",...}} with
 * labels sorted.
 */
public final class PrometheusText {

	private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + METRIC_NAME + ") ?(.*)");

	private static final Pattern SAMPLE = Pattern.compile("(" + METRIC_NAME + ")(\\{(.*)\\})? (\\S+)( -?\\d+)?");

	private static final Pattern LABEL = Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");

	private static final String[] SUFFIXES = { "_total", "_bucket", "_count", "_sum", "_created", "_max", "_info" };

	private final Map<String, Double> samples;

	private PrometheusText(Map<String, Double> samples) {
		this.samples = samples;
	}

	public static PrometheusText parse(String text) {
		Map<String, String> types = new HashMap<>();
		Map<String, Double> samples = new HashMap<>();
		int lineNumber = 0;
		for (String line : text.split("\n")) {
			lineNumber++;
			if (line.isEmpty()) {
				continue;
			}
			if (line.startsWith("#")) {
				Matcher comment = COMMENT.matcher(line);
				if (!comment.matches()) {
					throw invalid(lineNumber, line, "not a HELP or TYPE comment");
				}
				if (comment.group(1).equals("TYPE")) {
					if (!comment.group(3)
						.matches("counter|gauge|histogram|summary|untyped|info|stateset|gaugehistogram|unknown")) {
						throw invalid(lineNumber, line, "unknown type");
					}
					if (types.put(comment.group(2), comment.group(3)) != null) {
						throw invalid(lineNumber, line, "family declared twice");
					}
				}
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			if (!sample.matches()) {
				throw invalid(lineNumber, line, "not a sample");
			}
			String name = sample.group(1);
			if (!types.containsKey(family(name, types))) {
				throw invalid(lineNumber, line, "sample of an undeclared family");
			}
			String key = name + labels(sample.group(3), lineNumber, line);
			double value = parseValue(sample.group(4), lineNumber, line);
			if (samples.put(key, value) != null) {
				throw invalid(lineNumber, line, "series appears twice");
			}
		}
		return new PrometheusText(samples);
	}

	/** Scrapes the actuator's Prometheus endpoint on the given port. */
	public static PrometheusText scrape(int httpPort) {
		HttpResult result = HttpResult.get(httpPort, "/actuator/prometheus");
		if (result.status() != 200) {
			throw new AssertionError("scrape answered " + result.status() + ": " + result.body());
		}
		return parse(result.body());
	}

	/** How much a series grew from one scrape to a later one: a counter's increase. */
	public static long delta(PrometheusText before, PrometheusText after, String name, String... labels) {
		return (long) (after.value(name, labels) - before.value(name, labels));
	}

	/**
	 * The value of one series; the labels in any order, e.g.
	 * {@code value("x_total", "transport", "tcp")}.
	 */
	public double value(String name, String... labels) {
		Map<String, String> sorted = new TreeMap<>();
		for (int i = 0; i < labels.length; i += 2) {
			sorted.put(labels[i], labels[i + 1]);
		}
		String key = name + format(sorted);
		Double value = find(key);
		if (value == null) {
			throw new AssertionError("no series " + key + " among " + new TreeMap<>(this.samples).keySet());
		}
		return value;
	}

	/** Whether a series with this name and at least these labels exists. */
	public boolean has(String name) {
		return this.samples.keySet().stream().anyMatch((key) -> key.equals(name) || key.startsWith(name + "{"));
	}

	private Double find(String key) {
		Double exact = this.samples.get(key);
		if (exact != null) {
			return exact;
		}
		// The application tag is on every meter; let callers leave it out.
		for (Map.Entry<String, Double> entry : this.samples.entrySet()) {
			if (entry.getKey()
				.replaceAll("application=\"[^\"]*\",?", "")
				.replace(",}", "}")
				.replace("{}", "")
				.equals(key)) {
				return entry.getValue();
			}
		}
		return null;
	}

	public Map<String, Double> samples() {
		return this.samples;
	}

	private static String family(String name, Map<String, String> types) {
		if (types.containsKey(name)) {
			return name;
		}
		for (String suffix : SUFFIXES) {
			if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return name;
	}

	private static String labels(String text, int lineNumber, String line) {
		Map<String, String> labels = new TreeMap<>();
		if (text != null && !text.isEmpty()) {
			Matcher label = LABEL.matcher(text);
			int end = 0;
			while (label.find() && label.start() == end) {
				if (labels.put(label.group(1), label.group(2)) != null) {
					throw invalid(lineNumber, line, "label repeated");
				}
				end = label.end();
			}
			if (end != text.length()) {
				throw invalid(lineNumber, line, "malformed labels");
			}
		}
		return format(labels);
	}

	private static String format(Map<String, String> labels) {
		if (labels.isEmpty()) {
			return "";
		}
		StringBuilder key = new StringBuilder("{");
		labels.forEach((name, value) -> key.append(name).append("=\"").append(value).append("\","));
		key.setLength(key.length() - 1);
		return key.append('}').toString();
	}

	private static double parseValue(String text, int lineNumber, String line) {
		switch (text) {
			case "+Inf":
				return Double.POSITIVE_INFINITY;
			case "-Inf":
				return Double.NEGATIVE_INFINITY;
			case "NaN":
				return Double.NaN;
			default:
				try {
					return Double.parseDouble(text);
				}
				catch (NumberFormatException ex) {
					throw invalid(lineNumber, line, "value is not a number");
				}
		}
	}

	private static IllegalArgumentException invalid(int lineNumber, String line, String reason) {
		return new IllegalArgumentException("line " + lineNumber + " (" + reason + "): " + line);
	}

}
