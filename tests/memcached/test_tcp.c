// SPDX-License-Identifier: MIT
/*
 * test_tcp PORT: the TCP side's edge cases against a running server: a
 * half-closed connection still gets its replies, a data block split across
 * writes, a deep pipeline, a junk line that ends one connection while
 * another keeps working, quit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksc_test.h"

static int port;

static int connect_server(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		exit(2);
	}
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			CHECK(0, "send: %s", strerror(errno));
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Reads until want bytes came, EOF, or 2 s of silence; returns the count. */
static size_t read_upto(int fd, char *buf, size_t want, bool *eof)
{
	size_t have = 0;

	*eof = false;
	while (have < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 2000) <= 0)
			break;
		r = read(fd, buf + have, want - have);
		if (r <= 0) {
			*eof = true;
			break;
		}
		have += (size_t)r;
	}
	return have;
}

static void expect_exchange(int fd, const char *req, const char *want)
{
	char buf[4096];
	bool eof;
	size_t n;

	send_all(fd, req, strlen(req));
	n = read_upto(fd, buf, strlen(want), &eof);
	CHECK(n == strlen(want) && memcmp(buf, want, n) == 0, "%s: got [%.*s] want [%s]",
	      req, (int)n, buf, want);
}

static void test_half_close(void)
{
	static const char want[] = "STORED\r\nVALUE hc 0 1\r\nx\r\nEND\r\n";
	char buf[256];
	int fd = connect_server();
	bool eof;
	size_t n;

	send_all(fd, "set hc 0 0 1\r\nx\r\nget hc\r\n", 25);
	shutdown(fd, SHUT_WR);
	n = read_upto(fd, buf, sizeof(buf), &eof);
	CHECK(eof && n == sizeof(want) - 1 && memcmp(buf, want, n) == 0,
	      "half-closed: got [%.*s] eof %d", (int)n, buf, eof);
	close(fd);
}

static void test_split_block(void)
{
	int fd = connect_server();
	struct timespec pause = { 0, 50 * 1000000 };

	send_all(fd, "set sp 0 0 10\r\nhello", 20);
	nanosleep(&pause, NULL);
	send_all(fd, "wor", 3);
	nanosleep(&pause, NULL);
	expect_exchange(fd, "ld\r\nget sp\r\n", "STORED\r\nVALUE sp 0 10\r\nhelloworld\r\nEND\r\n");
	close(fd);
}

/* 20,000 GETs in one write: every reply comes, in order. */
static void test_pipeline(void)
{
	enum { N = 20000 };
	static const char one[] = "get hc\r\n", reply[] = "VALUE hc 0 1\r\nx\r\nEND\r\n";
	size_t total = (sizeof(reply) - 1) * N, have = 0;
	char *req = malloc((sizeof(one) - 1) * N), *buf = malloc(total);
	int fd = connect_server();
	bool eof, same = true;
	pid_t writer;

	for (int i = 0; i < N; i++)
		memcpy(req + i * (sizeof(one) - 1), one, sizeof(one) - 1);
	/* Send and read at once: neither side may wait for the other. */
	writer = fork();
	if (writer == 0) {
		send_all(fd, req, (sizeof(one) - 1) * N);
		_exit(0);
	}
	have = read_upto(fd, buf, total, &eof);
	waitpid(writer, NULL, 0);
	for (size_t off = 0; same && off + sizeof(reply) - 1 <= have; off += sizeof(reply) - 1)
		same = memcmp(buf + off, reply, sizeof(reply) - 1) == 0;
	CHECK(have == total && same, "pipeline: %zu of %zu bytes, in order %d", have, total, same);
	close(fd);
	free(req);
	free(buf);
}

static void test_junk_and_quit(void)
{
	char junk[3000], buf[64];
	int bystander = connect_server(), fd = connect_server();
	bool eof;

	expect_exchange(bystander, "get hc\r\n", "VALUE hc 0 1\r\nx\r\nEND\r\n");
	memset(junk, 'j', sizeof(junk));
	send_all(fd, junk, sizeof(junk));
	read_upto(fd, buf, sizeof(buf), &eof);
	CHECK(eof, "a 3000-byte line without a newline closes the connection");
	close(fd);
	expect_exchange(bystander, "get hc\r\n", "VALUE hc 0 1\r\nx\r\nEND\r\n");

	fd = connect_server();
	send_all(fd, "quit\r\n", 6);
	read_upto(fd, buf, sizeof(buf), &eof);
	CHECK(eof, "quit closes the connection");
	close(fd);
	expect_exchange(bystander, "delete hc\r\n", "DELETED\r\n");
	close(bystander);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_tcp PORT\n");
		return 2;
	}
	port = atoi(argv[1]);
	test_half_close();
	test_split_block();
	test_pipeline();
	test_junk_and_quit();
	return ksc_test_summary("memcached_tcp");
}
