package dev.timestamp.hostile;

import java.util.List;

import dev.timestamp.support.IoUringHere;

/**
 * {@link SlowAndSilentClientsProcessTests} with {@code timestamp.tcp.transport=io-uring},
 * where a read is always under way: a client that does not read must still not get more
 * of its requests buffered than on epoll.
 */
class SlowAndSilentClientsOnIoUringProcessTests extends SlowAndSilentClientsProcessTests {

	@Override
	List<String> serverArguments() {
		IoUringHere.assumeAllowed();
		return List.of("--timestamp.tcp.transport=io-uring");
	}

}
