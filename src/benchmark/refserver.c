/*
 * The reference server: what the timestamp protocol costs with nothing else on the path.
 * One thread, epoll, TCP and UDP on one port of 127.0.0.1, the ctime string formatted once
 * a second. TCP: each line ("payload\n" or "payload\r\n") is answered
 * "[Tue Nov 24 22:00:40 2026] payload\r\n"; UDP: each datagram "payload" is answered
 * "[Tue Nov 24 22:00:40 2026] payload". No limits, no metrics, no TLS: a floor to compare
 * with, not a server to run.
 *
 *   cc -O2 -o refserver refserver.c && ./refserver [-p PORT]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Small enough that malloc serves a connection from its free lists, not a fresh mapping. */
#define IN_CAP 16384
#define OUT_CAP (4 * IN_CAP)

struct conn {
	int fd;
	size_t in_len, out_len, out_off;
	char in[IN_CAP];
	char out[OUT_CAP];
};

static char stamp[32];
static size_t stamp_len;
static time_t stamp_second = -1;

/* "[Tue Nov 24 22:00:40 2026] " for the current second, in the local zone. */
static void refresh_stamp(void) {
	time_t now = time(NULL);
	if (now != stamp_second) {
		char buf[32];
		ctime_r(&now, buf); /* 24 characters and a newline */
		stamp_len = (size_t)snprintf(stamp, sizeof stamp, "[%.24s] ", buf);
		stamp_second = now;
	}
}

static void nonblocking(int fd) {
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int flush_out(struct conn *c) {
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n < 0) {
			return (errno == EAGAIN) ? 0 : -1;
		}
		c->out_off += (size_t)n;
	}
	c->out_len = c->out_off = 0;
	return 0;
}

/* Answers every whole line in the input; -1 when the connection is to close. */
static int serve_lines(struct conn *c) {
	size_t start = 0;
	refresh_stamp();
	for (size_t i = 0; i < c->in_len; i++) {
		if (c->in[i] != '\n') {
			continue;
		}
		size_t end = (i > start && c->in[i - 1] == '\r') ? i - 1 : i;
		size_t need = stamp_len + (end - start) + 2;
		if (c->out_len + need > OUT_CAP) {
			if (flush_out(c) < 0 || c->out_len + need > OUT_CAP) {
				return -1; /* the client does not read its replies */
			}
		}
		memcpy(c->out + c->out_len, stamp, stamp_len);
		memcpy(c->out + c->out_len + stamp_len, c->in + start, end - start);
		memcpy(c->out + c->out_len + need - 2, "\r\n", 2);
		c->out_len += need;
		start = i + 1;
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->in_len == IN_CAP) {
		return -1; /* a line longer than the buffer */
	}
	return flush_out(c);
}

int main(int argc, char **argv) {
	int port = 21567;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-p") == 0) {
			port = atoi(argv[++i]);
		}
	}
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(tcp, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(tcp, 4096) < 0
			|| bind(udp, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("refserver: bind");
		return 1;
	}
	nonblocking(tcp);
	nonblocking(udp);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	epoll_ctl(ep, EPOLL_CTL_ADD, tcp, &ev);
	ev.data.ptr = &udp;
	epoll_ctl(ep, EPOLL_CTL_ADD, udp, &ev);
	fprintf(stderr, "refserver: TCP and UDP on 127.0.0.1:%d\n", port);
	struct epoll_event events[256];
	for (;;) {
		int n = epoll_wait(ep, events, 256, -1);
		for (int e = 0; e < n; e++) {
			if (events[e].data.ptr == NULL) {
				int fd;
				while ((fd = accept4(tcp, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					struct conn *c = malloc(sizeof *c);
					c->fd = fd;
					c->in_len = c->out_len = c->out_off = 0;
					struct epoll_event cev = { .events = EPOLLIN, .data.ptr = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
				}
			}
			else if (events[e].data.ptr == &udp) {
				char in[65536], out[65536 + 64];
				struct sockaddr_storage from;
				socklen_t from_len = sizeof from;
				ssize_t len;
				while ((len = recvfrom(udp, in, sizeof in, 0, (struct sockaddr *)&from, &from_len)) >= 0) {
					refresh_stamp();
					memcpy(out, stamp, stamp_len);
					memcpy(out + stamp_len, in, (size_t)len);
					sendto(udp, out, stamp_len + (size_t)len, 0, (struct sockaddr *)&from, from_len);
					from_len = sizeof from;
				}
			}
			else {
				struct conn *c = events[e].data.ptr;
				int closing = 0;
				for (;;) {
					ssize_t r = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
					if (r > 0) {
						c->in_len += (size_t)r;
						if (serve_lines(c) < 0) {
							closing = 1;
							break;
						}
						continue;
					}
					closing = (r == 0 || errno != EAGAIN);
					break;
				}
				if (!closing && (events[e].events & EPOLLOUT)) {
					closing = flush_out(c) < 0;
				}
				if (closing) {
					close(c->fd);
					free(c);
					continue;
				}
				struct epoll_event cev = { .events = EPOLLIN | (c->out_len ? EPOLLOUT : 0), .data.ptr = c };
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &cev);
			}
		}
	}
}
