package dev.timestamp.client;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/** Where requests come from: standard input or the command line. */
interface RequestSource {

	/** The next request, or {@code null} when there are no more. */
	byte @Nullable [] next() throws IOException;

}
