// SPDX-License-Identifier: MIT
/*
 * ksc-memcached with kernel code in front of its UDP socket, end to end:
 * the server runs in the server namespace of a veth pair, on libksc's ebpf
 * backend (--xdp-if, the XDP cache attached in native mode) or its luajit
 * backend (--handler, a Lua handler in ksc.ko; the server drops to the user
 * ksc); a client in the other namespace SETs over TCP and GETs over UDP.
 * Hits must come from the kernel code (the server's ksc_udp_requests does
 * not move), and after every SET, DELETE, flush_all and expiry the next GET
 * must give the new state: never a stale value. Then writers SET one key
 * over and over while a reader GETs it: no answer may be older than the
 * last SET acknowledged before the GET was sent, nor newer than the last
 * one begun.
 *
 * Usage: ksc_test_memcached_xdp PATH-TO-KSC-MEMCACHED [ebpf|luajit]   (root)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_packet.h"
#include "ksc_test.h"
#include "veth_pair.h"

#define PORT "11311"

static struct veth_pair vp;
static _Atomic uint16_t next_id = 1;
static const char *backend = "ebpf";

/* Reads from the TCP connection until the reply ends with end. */
static int tcp_reply(int fd, const char *end, char *buf, size_t cap)
{
	size_t got = 0, nend = strlen(end);

	while (got + 1 < cap) {
		ssize_t n = recv(fd, buf + got, cap - 1 - got, 0);

		if (n <= 0)
			return -1;
		got += n;
		buf[got] = 0;
		if (got >= nend && !strcmp(buf + got - nend, end))
			return 0;
	}
	return -1;
}

/* Sends a TCP command; the reply (ending in "\r\n") must be want. */
static void tcp_expect(int fd, const char *cmd, const char *want)
{
	char reply[256];

	CHECK(send(fd, cmd, strlen(cmd), 0) == (ssize_t)strlen(cmd), "send %s", cmd);
	CHECK(tcp_reply(fd, "\r\n", reply, sizeof(reply)) == 0 && !strcmp(reply, want),
	      "%s: got '%s', want '%s'", cmd, reply, want);
}

/* One of the server's stats, e.g. "ksc_udp_requests" (what the server received). */
static uint64_t stat_of(int tcp, const char *name)
{
	char reply[8192], want[64], *line;

	if (send(tcp, "stats\r\n", 7, 0) != 7 || tcp_reply(tcp, "END\r\n", reply, sizeof(reply)))
		return UINT64_MAX;
	snprintf(want, sizeof(want), "STAT %s ", name);
	line = strstr(reply, want);
	return line ? strtoull(line + strlen(want), NULL, 10) : UINT64_MAX;
}

static uint64_t udp_requests(int tcp)
{
	return stat_of(tcp, "ksc_udp_requests");
}

/* One UDP GET; the first reply datagram's text into text (NUL-ended). */
static ssize_t udp_get(int udp, const char *key, char *text, size_t cap)
{
	char request[300], reply[1500];
	int n = snprintf(request + 8, sizeof(request) - 8, "get %s\r\n", key);
	uint16_t id = next_id++;
	ssize_t got;

	request[0] = id >> 8;
	request[1] = id;
	memcpy(request + 2, "\0\0\0\1\0\0", 6);
	if (send(udp, request, 8 + n, 0) != 8 + n)
		return -1;
	do
		got = recv(udp, reply, sizeof(reply), 0);
	while (got >= 8 && ((uint8_t)reply[0] != id >> 8 || (uint8_t)reply[1] != (id & 0xff) ||
			    reply[3] != 0));	/* a late datagram of an earlier request */
	if (got < 8 || (size_t)got - 8 >= cap)
		return -1;
	memcpy(text, reply + 8, got - 8);
	text[got - 8] = 0;
	return got - 8;
}

/* A GET hit with value: answered by the kernel code when by_xdp, else by the server. */
static void expect_value(int udp, int tcp, const char *key, const char *value, int by_xdp)
{
	char text[1500], want[1500];
	uint64_t before = udp_requests(tcp), gets = stat_of(tcp, "cmd_get");
	uint64_t hits = stat_of(tcp, "get_hits");

	want[mc_hit_text(want, sizeof(want), key, 0, value, strlen(value))] = 0;
	CHECK(udp_get(udp, key, text, sizeof(text)) >= 0 && !strcmp(text, want),
	      "GET %s: got '%s', want '%s'", key, text, want);
	CHECK(udp_requests(tcp) == before + !by_xdp, "GET %s answered by %s", key,
	      by_xdp ? "the kernel code (the server saw it)" : "the server (it did not see it)");
	CHECK(stat_of(tcp, "cmd_get") == gets + 1 && stat_of(tcp, "get_hits") == hits + 1,
	      "GET %s counted in cmd_get and get_hits", key);
}

/* A GET miss: answered by the server, "END". */
static void expect_miss(int udp, int tcp, const char *key)
{
	char text[1500];
	uint64_t before = udp_requests(tcp);

	CHECK(udp_get(udp, key, text, sizeof(text)) >= 0 && !strcmp(text, "END\r\n"),
	      "GET %s: got '%s', want a miss", key, text);
	CHECK(udp_requests(tcp) == before + 1, "the miss of %s reached the server", key);
}

static void run(int tcp, int udp)
{
	char big[2001], cmd[2100], text[1500];
	uint64_t before;

	tcp_expect(tcp, "set k1 0 0 5\r\nhello\r\n", "STORED\r\n");
	for (int i = 0; i < 5; i++)
		expect_value(udp, tcp, "k1", "hello", 1);
	tcp_expect(tcp, "set k1 0 0 6\r\nworld!\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k1", "world!", 1);
	tcp_expect(tcp, "append k1 0 0 1\r\n?\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k1", "world!?", 1);
	tcp_expect(tcp, "delete k1\r\n", "DELETED\r\n");
	expect_miss(udp, tcp, "k1");

	tcp_expect(tcp, "set k2 0 0 2\r\nv2\r\n", "STORED\r\n");
	tcp_expect(tcp, "set k3 0 0 2\r\nv3\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k2", "v2", 1);
	tcp_expect(tcp, "flush_all\r\n", "OK\r\n");
	expect_miss(udp, tcp, "k2");
	expect_miss(udp, tcp, "k3");

	tcp_expect(tcp, "set k4 0 2 3\r\nexp\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k4", "exp", 1);
	sleep(3);
	expect_miss(udp, tcp, "k4");

	/* A delayed flush_all: the server answers until it takes effect (an
	 * item stored meanwhile included), then every GET misses, with no
	 * other command in between to make the store apply it. */
	tcp_expect(tcp, "set k6 0 0 2\r\nv6\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k6", "v6", 1);
	tcp_expect(tcp, "flush_all 2\r\n", "OK\r\n");
	expect_value(udp, tcp, "k6", "v6", 0);
	tcp_expect(tcp, "set k7 0 0 2\r\nv7\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k7", "v7", 0);
	sleep(3);
	CHECK(udp_get(udp, "k6", text, sizeof(text)) >= 0 && !strcmp(text, "END\r\n"),
	      "GET k6 after the delayed flush: got '%s', want a miss", text);
	expect_miss(udp, tcp, "k7");

	/* A value too big for one reply datagram: the key leaves the map. */
	tcp_expect(tcp, "set k5 0 0 5\r\nsmall\r\n", "STORED\r\n");
	expect_value(udp, tcp, "k5", "small", 1);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	snprintf(cmd, sizeof(cmd), "set k5 0 0 %zu\r\n%s\r\n", sizeof(big) - 1, big);
	tcp_expect(tcp, cmd, "STORED\r\n");
	before = udp_requests(tcp);
	CHECK(udp_get(udp, "k5", text, sizeof(text)) > 0 &&
	      !strncmp(text, "VALUE k5 0 2000\r\nbbbb", 21), "GET k5: the big value, got '%.30s'",
	      text);
	CHECK(udp_requests(tcp) == before + 1, "the big value came from the server");
}

/* Runs the server in the server namespace (ebpf: XDP on ksc0; luajit: a Lua handler). */
static pid_t start_server(const char *path)
{
	bool ebpf = !strcmp(backend, "ebpf");
	pid_t pid = fork();

	if (pid)
		return pid;
	if (veth_pair_enter(&vp, VETH_SERVER) || setenv("KSC_BACKEND", backend, 1))
		_exit(127);
	execl(path, path, "-p", PORT, "-U", PORT, "-l", VETH_SERVER_IP, "-u", ebpf ? "root" : "ksc",
	      ebpf ? "--xdp-if=ksc0" : "--handler", "--xdp-mode=native", (char *)NULL);
	_exit(127);
}

/* A TCP connection to the server from the client namespace, retried while
 * the server starts. */
static int connect_server(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(atoi(PORT)) };
	struct timeval timeout = { 2, 0 };
	int fd = -1;

	inet_pton(AF_INET, VETH_SERVER_IP, &addr.sin_addr);
	veth_pair_enter(&vp, VETH_CLIENT);
	for (int i = 0; i < 100 && fd < 0; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
			close(fd);
			fd = -1;
			usleep(50000);
		}
	}
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	veth_pair_enter(&vp, VETH_HOST);
	return fd;
}

/* --- Concurrent SETs and GETs ---------------------------------------------- */

#define CKEYS 2		/* one writer per key */
#define CONCURRENT_SECONDS 2

/* Per key: SETs begun, and acknowledged (STORED), by version. */
static atomic_uint begun[CKEYS], acked[CKEYS];
static atomic_bool stop_writers;

struct writer {
	int tcp;
	int key;
};

/* Version v's value: "v<v>" and a tail whose length moves with v. */
static int value_of(char *buf, size_t cap, unsigned int v)
{
	int n = snprintf(buf, cap, "v%u.", v);

	memset(buf + n, 'a' + v % 26, v % 300);
	buf[n + v % 300] = 0;
	return n + (int)(v % 300);
}

static void *writer_run(void *arg)
{
	const struct writer *w = arg;
	char value[400], cmd[512];

	for (unsigned int v = 1; !atomic_load(&stop_writers); v++) {
		int n = value_of(value, sizeof(value), v);
		int len = snprintf(cmd, sizeof(cmd), "set ck%d 0 0 %d\r\n%s\r\n", w->key, n, value);

		atomic_store(&begun[w->key], v);
		if (send(w->tcp, cmd, len, 0) != len || tcp_reply(w->tcp, "\r\n", cmd, sizeof(cmd)) ||
		    strcmp(cmd, "STORED\r\n")) {
			CHECK(0, "SET ck%d version %u: '%s'", w->key, v, cmd);
			break;
		}
		atomic_store(&acked[w->key], v);
	}
	return NULL;
}

/* One GET of ck<key>: its version must lie within what was acknowledged and begun. */
static bool get_in_window(int udp, int key, uint64_t *gets)
{
	char name[8], text[1500], want[1500], value[400];
	unsigned int lo = atomic_load(&acked[key]), hi, v = 0;
	ssize_t got;

	snprintf(name, sizeof(name), "ck%d", key);
	got = udp_get(udp, name, text, sizeof(text));
	hi = atomic_load(&begun[key]);
	if (got < 0)
		return true;	/* a lost datagram: UDP */
	(*gets)++;
	if (!strcmp(text, "END\r\n"))
		return lo == 0;
	if (sscanf(text, "VALUE %*s 0 %*d\r\nv%u.", &v) != 1)
		return false;
	value_of(value, sizeof(value), v);
	want[mc_hit_text(want, sizeof(want), name, 0, value, strlen(value))] = 0;
	return v >= lo && v <= hi && !strcmp(text, want);
}

static void run_concurrent(int udp)
{
	struct writer w[CKEYS];
	pthread_t threads[CKEYS];
	uint64_t gets = 0, bad = 0;
	time_t end = time(NULL) + CONCURRENT_SECONDS;
	int tcp = connect_server();

	for (int k = 0; k < CKEYS; k++) {
		w[k] = (struct writer){ .tcp = connect_server(), .key = k };
		CHECK(w[k].tcp >= 0 && pthread_create(&threads[k], NULL, writer_run, &w[k]) == 0,
		      "writer %d starts", k);
	}
	uint64_t before = udp_requests(tcp);
	for (unsigned int i = 0; time(NULL) < end; i++)
		bad += !get_in_window(udp, (int)(i % CKEYS), &gets);
	uint64_t reached = udp_requests(tcp) - before;
	atomic_store(&stop_writers, true);
	for (int k = 0; k < CKEYS; k++) {
		pthread_join(threads[k], NULL);
		close(w[k].tcp);
	}
	printf("concurrent: %" PRIu64 " GETs during %u+%u SETs, %" PRIu64
	       " reached the server\n", gets, atomic_load(&acked[0]), atomic_load(&acked[1]),
	       reached);
	CHECK(bad == 0, "%" PRIu64 " of %" PRIu64 " GETs under concurrent SETs were stale, "
	      "torn or from the future", bad, gets);
	CHECK(gets > reached, "the kernel code answered some of them");
	close(tcp);
}

int main(int argc, char **argv)
{
	int tcp, udp, status = 0;
	pid_t server;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "ebpf") &&
				     strcmp(argv[2], "luajit"))) {
		fprintf(stderr, "usage: %s PATH-TO-KSC-MEMCACHED [ebpf|luajit]\n", argv[0]);
		return 2;
	}
	if (argc == 3)
		backend = argv[2];
	ksc_test_need_root();	/* network namespaces, XDP */
	if (veth_pair_create(&vp))
		return 1;
	server = start_server(argv[1]);
	tcp = connect_server();
	udp = veth_pair_udp_socket(&vp, VETH_CLIENT, AF_INET, atoi(PORT), 2000);
	if (server < 0 || tcp < 0 || udp < 0) {
		fprintf(stderr, "setup: the server did not start: %s\n", strerror(errno));
		ksc_test_failed++;
	} else {
		run(tcp, udp);
		run_concurrent(udp);
	}
	if (server > 0) {
		kill(server, SIGTERM);
		CHECK(waitpid(server, &status, 0) == server && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "the server ran until stopped (status %d)", status);
	}
	veth_pair_destroy(&vp);
	return ksc_test_summary("memcached_xdp");
}
