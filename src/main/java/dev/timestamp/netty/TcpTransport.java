package dev.timestamp.netty;

/**
 * The kernel interface the TCP listener's event loops use
 * ({@code timestamp.tcp.transport}). UDP always uses epoll (NIO elsewhere): its batched
 * reads and per-address reply sockets are epoll's.
 */
public enum TcpTransport {

	/** Native epoll on Linux, NIO elsewhere. */
	EPOLL,

	/**
	 * io_uring where the kernel allows it (recent enough for Netty's io_uring, not
	 * blocked by a seccomp profile); epoll otherwise, with a warning.
	 */
	IO_URING

}
