/*
 * A closed-loop load generator for the timestamp protocol, light enough that one core of
 * it outruns the servers it measures: one thread, epoll, non-blocking sockets.
 *
 *   cc -O2 -o loadgen loadgen.c
 *   loadgen tcp|udp|churn [-P port] [-c conns] [-p pipeline] [-s size] [-d secs] [-w secs]
 *
 * tcp    -c connections, each keeping -p requests ("payload\n") in flight;
 * udp    -c connected sockets, each keeping -p datagrams in flight; one without a reply
 *        for a second is counted lost and sent again;
 * churn  -c workers, each: connect, send one line, read the reply, close.
 * Every reply is checked: "[" + 24 characters of ctime + "] " + the payload (+ "\r\n" on
 * TCP); a reply of another length or shape is an error. Prints one line:
 *   mode=tcp conns=64 pipeline=1 size=16 seconds=10.0 requests=1234567 rps=123456 errors=0 lost=0
 * Defaults: -P 21567 -c 64 -p 1 -s 16 -d 10 -w 2, on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PREFIX 27 /* "[" + 24 + "] " */

struct peer {
	int fd, in_flight, connected;
	size_t in_len;
	double last_send;
	char in[65536];
};

static int mode_tcp, mode_udp, mode_churn;
static int port = 21567, conns = 64, pipeline = 1, size = 16;
static double seconds = 10, warmup = 2;
static char request[4096];
static char *requests; /* the request, pipeline times over */
static size_t request_len, reply_len;
static long long answered, errors, lost;
static struct sockaddr_in target;
static int ep;

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int valid(const char *reply) {
	return reply[0] == '[' && reply[PREFIX - 2] == ']' && reply[PREFIX - 1] == ' '
			&& memcmp(reply + PREFIX, request, (size_t)size) == 0;
}

static void open_peer(struct peer *p) {
	p->fd = socket(AF_INET, (mode_udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK, 0);
	int one = 1;
	if (!mode_udp) {
		setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	p->in_len = 0;
	p->in_flight = 0;
	p->connected = mode_udp;
	if (connect(p->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
		perror("loadgen: connect");
		exit(1);
	}
	struct epoll_event ev = { .events = EPOLLIN | (mode_udp ? 0 : EPOLLOUT), .data.ptr = p };
	epoll_ctl(ep, EPOLL_CTL_ADD, p->fd, &ev);
}

/* Datagrams one by one; TCP requests in one write (the pipeline's worth at most). */
static void send_requests(struct peer *p, int count) {
	if (mode_udp) {
		for (int i = 0; i < count; i++) {
			if (send(p->fd, request, request_len, 0) != (ssize_t)request_len) {
				errors++;
				return;
			}
			p->in_flight++;
		}
		p->last_send = now();
		return;
	}
	size_t len = request_len * (size_t)count;
	if (send(p->fd, requests, len, MSG_NOSIGNAL) != (ssize_t)len) {
		errors++;
		return;
	}
	p->in_flight += count;
}

static void reopen(struct peer *p) {
	close(p->fd);
	open_peer(p);
}

static void on_event(struct peer *p, uint32_t events, int counting) {
	if (!p->connected) {
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
			return;
		}
		p->connected = 1;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };
		epoll_ctl(ep, EPOLL_CTL_MOD, p->fd, &ev);
		send_requests(p, mode_churn ? 1 : pipeline);
		return;
	}
	if (mode_udp) {
		char buf[65536];
		ssize_t n;
		while ((n = recv(p->fd, buf, sizeof buf, 0)) > 0) {
			int ok = (size_t)n == reply_len && valid(buf);
			answered += counting && ok;
			errors += counting && !ok;
			p->in_flight--;
			send_requests(p, 1);
		}
		return;
	}
	for (;;) {
		ssize_t n = recv(p->fd, p->in + p->in_len, sizeof p->in - p->in_len, 0);
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				errors += counting;
				reopen(p);
			}
			return;
		}
		p->in_len += (size_t)n;
		size_t off = 0;
		while (p->in_len - off >= reply_len) {
			const char *reply = p->in + off;
			int ok = valid(reply) && reply[reply_len - 2] == '\r' && reply[reply_len - 1] == '\n';
			answered += counting && ok;
			errors += counting && !ok;
			off += reply_len;
			p->in_flight--;
			if (mode_churn) {
				reopen(p);
				return;
			}
		}
		if (pipeline - p->in_flight > 0) {
			send_requests(p, pipeline - p->in_flight);
		}
		memmove(p->in, p->in + off, p->in_len - off);
		p->in_len -= off;
	}
}

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: loadgen tcp|udp|churn [-P port] [-c conns] [-p pipeline] [-s size] [-d secs] [-w secs]\n");
		return 2;
	}
	mode_tcp = strcmp(argv[1], "tcp") == 0;
	mode_udp = strcmp(argv[1], "udp") == 0;
	mode_churn = strcmp(argv[1], "churn") == 0;
	if (!mode_tcp && !mode_udp && !mode_churn) {
		fprintf(stderr, "loadgen: unknown mode %s\n", argv[1]);
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		char option = argv[i][1];
		const char *value = argv[i + 1];
		switch (option) {
		case 'P': port = atoi(value); break;
		case 'c': conns = atoi(value); break;
		case 'p': pipeline = atoi(value); break;
		case 's': size = atoi(value); break;
		case 'd': seconds = atof(value); break;
		case 'w': warmup = atof(value); break;
		default: fprintf(stderr, "loadgen: unknown option %s\n", argv[i]); return 2;
		}
	}
	if (size < 1 || size > 4000 || conns < 1 || pipeline < 1 || pipeline > 4096) {
		fprintf(stderr, "loadgen: -s 1..4000, -p 1..4096, -c at least 1\n");
		return 2;
	}
	for (int i = 0; i < size; i++) {
		request[i] = (char)('a' + i % 26);
	}
	request_len = (size_t)size;
	if (!mode_udp) {
		request[request_len++] = '\n';
	}
	requests = malloc(request_len * (size_t)pipeline);
	for (int i = 0; i < pipeline; i++) {
		memcpy(requests + request_len * (size_t)i, request, request_len);
	}
	reply_len = PREFIX + (size_t)size + (mode_udp ? 0 : 2);
	target.sin_family = AF_INET;
	target.sin_port = htons((uint16_t)port);
	target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ep = epoll_create1(0);
	struct peer *peers = calloc((size_t)conns, sizeof *peers);
	for (int i = 0; i < conns; i++) {
		open_peer(&peers[i]);
		if (mode_udp) {
			send_requests(&peers[i], pipeline);
		}
	}
	double start = now(), measure_from = start + warmup, end = measure_from + seconds;
	double next_loss_check = start + 0.1;
	struct epoll_event events[512];
	for (double t = start; t < end; t = now()) {
		int counting = t >= measure_from;
		int n = epoll_wait(ep, events, 512, 100);
		for (int e = 0; e < n; e++) {
			on_event(events[e].data.ptr, events[e].events, counting);
		}
		if (mode_udp && t >= next_loss_check) {
			for (int i = 0; i < conns; i++) {
				if (peers[i].in_flight > 0 && t - peers[i].last_send > 1.0) {
					lost += counting ? peers[i].in_flight : 0;
					peers[i].in_flight = 0;
					send_requests(&peers[i], pipeline);
				}
			}
			next_loss_check = t + 0.1;
		}
	}
	printf("mode=%s conns=%d pipeline=%d size=%d seconds=%.1f requests=%lld rps=%.0f errors=%lld lost=%lld\n", argv[1],
			conns, pipeline, size, seconds, answered, (double)answered / seconds, errors, lost);
	return 0;
}
