package dev.timestamp.client;

import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

final class ListSource implements RequestSource {

	private final Iterator<byte[]> requests;

	ListSource(List<byte[]> requests) {
		this.requests = requests.iterator();
	}

	@Override
	public byte @Nullable [] next() {
		return this.requests.hasNext() ? this.requests.next() : null;
	}

}
