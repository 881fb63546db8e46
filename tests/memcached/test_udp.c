// SPDX-License-Identifier: MIT
/*
 * test_udp PORT: memcached's UDP framing against a running server. Replies
 * that span many datagrams are put back together by sequence number and
 * compared byte for byte; every datagram's header is checked; malformed
 * requests get no reply and the server keeps answering.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ksc_test.h"
#include "ksc_memcache_udp.h"

#define MAX_DGRAMS 512
#define DGRAM_MAX 65536

static int fd;

static void send_raw(const void *p, size_t n)
{
	if (send(fd, p, n, 0) != (ssize_t)n)
		CHECK(0, "send: %s", strerror(errno));
}

static void send_request(uint16_t id, uint16_t total, const char *payload, size_t n)
{
	char buf[DGRAM_MAX];
	struct ksc_mc_udp_hdr h = { htons(id), 0, htons(total), 0 };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, n);
	send_raw(buf, sizeof(h) + n);
}

/* Receives one datagram within ms; its length, or -1 on timeout. */
static ssize_t recv_dgram(char *buf, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) <= 0)
		return -1;
	return recv(fd, buf, DGRAM_MAX, 0);
}

/*
 * Collects the reply to request id: every datagram must carry the id, the
 * same total, a sequence number not seen before, reserved 0, and at most
 * KSC_MC_UDP_MAX_PAYLOAD bytes. Returns the joined payload (malloc'd) or
 * NULL when the reply is incomplete or broken.
 */
static char *collect_reply(uint16_t id, size_t *len)
{
	static char parts[MAX_DGRAMS][KSC_MC_UDP_MAX_PAYLOAD];
	static size_t lens[MAX_DGRAMS];
	bool seen[MAX_DGRAMS] = { false };
	unsigned total = 0, got = 0;
	char buf[DGRAM_MAX];
	char *joined;

	do {
		ssize_t n = recv_dgram(buf, 2000);
		struct ksc_mc_udp_hdr h;
		unsigned seq;

		if (n < 0) {
			CHECK(0, "reply %u: %u of %u datagrams", id, got, total);
			return NULL;
		}
		CHECK(n >= 8 && n <= KSC_MC_UDP_MAX_PAYLOAD, "datagram of %zd bytes", n);
		if (n < 8 || n > KSC_MC_UDP_MAX_PAYLOAD)
			return NULL;
		memcpy(&h, buf, sizeof(h));
		seq = ntohs(h.seq);
		if (!total)
			total = ntohs(h.total);
		CHECK(ntohs(h.request_id) == id && ntohs(h.total) == total &&
		      total <= MAX_DGRAMS && seq < total && !seen[seq] && h.reserved == 0,
		      "bad header: id %u seq %u total %u (want id %u total %u)",
		      ntohs(h.request_id), seq, ntohs(h.total), id, total);
		if (ntohs(h.request_id) != id || seq >= total || total > MAX_DGRAMS || seen[seq])
			return NULL;
		seen[seq] = true;
		lens[seq] = (size_t)n - 8;
		memcpy(parts[seq], buf + 8, lens[seq]);
		got++;
	} while (got < total);
	*len = 0;
	for (unsigned i = 0; i < total; i++)
		*len += lens[i];
	joined = malloc(*len + 1);
	*len = 0;
	for (unsigned i = 0; i < total; i++) {
		memcpy(joined + *len, parts[i], lens[i]);
		*len += lens[i];
	}
	joined[*len] = '\0';
	return joined;
}

static char *request(uint16_t id, const char *payload, size_t n, size_t *len)
{
	send_request(id, 1, payload, n);
	return collect_reply(id, len);
}

static void expect_reply(uint16_t id, const char *payload, size_t n,
			 const char *want, size_t wantlen)
{
	size_t len = 0;
	char *r = request(id, payload, n, &len);

	CHECK(r && len == wantlen && memcmp(r, want, wantlen) == 0,
	      "request %u: got %zu bytes, want %zu", id, len, wantlen);
	free(r);
}

static void expect_no_reply(const char *what)
{
	char buf[DGRAM_MAX];

	CHECK(recv_dgram(buf, 300) < 0, "%s: got a reply", what);
}

/* "set <key> 0 0 <n>\r\n<value>\r\n" over UDP; the value is a pattern. */
static char *make_value(size_t n, char seed)
{
	char *v = malloc(n);

	for (size_t i = 0; i < n; i++)
		v[i] = (char)('A' + (seed + i * 7) % 26);
	return v;
}

static void set_over_udp(uint16_t id, const char *key, const char *v, size_t n)
{
	char *cmd = malloc(n + 300);
	int h = snprintf(cmd, 300, "set %s 0 0 %zu\r\n", key, n);

	memcpy(cmd + h, v, n);
	memcpy(cmd + h + n, "\r\n", 2);
	expect_reply(id, cmd, (size_t)h + n + 2, "STORED\r\n", 8);
	free(cmd);
}

static void test_multi_datagram(void)
{
	size_t sizes[] = { 1, 1380, 1392, 1393, 5000, 60000 };
	char key[32], *want, *vals[6];
	size_t wl = 0;

	for (size_t i = 0; i < 6; i++) {
		size_t hl;
		char *r, hdr[64];

		snprintf(key, sizeof(key), "big%zu", i);
		vals[i] = make_value(sizes[i], (char)i);
		set_over_udp((uint16_t)(100 + i), key, vals[i], sizes[i]);
		hl = (size_t)snprintf(hdr, sizeof(hdr), "VALUE %s 0 %zu\r\n", key, sizes[i]);
		want = malloc(hl + sizes[i] + 7);
		memcpy(want, hdr, hl);
		memcpy(want + hl, vals[i], sizes[i]);
		memcpy(want + hl + sizes[i], "\r\nEND\r\n", 7);
		snprintf(hdr, sizeof(hdr), "get %s\r\n", key);
		expect_reply((uint16_t)(200 + i), hdr, strlen(hdr), want, hl + sizes[i] + 7);
		free(want);
		(void)r;
	}
	/* One multi-key get whose reply spans about 50 datagrams. */
	want = malloc(70000);
	for (size_t i = 0; i < 6; i++) {
		wl += (size_t)sprintf(want + wl, "VALUE big%zu 0 %zu\r\n", i, sizes[i]);
		memcpy(want + wl, vals[i], sizes[i]);
		wl += sizes[i];
		memcpy(want + wl, "\r\n", 2);
		wl += 2;
	}
	memcpy(want + wl, "END\r\n", 5);
	wl += 5;
	expect_reply(300, "get big0 big1 big2 big3 big4 big5\r\n", 35, want, wl);
	free(want);
	for (size_t i = 0; i < 6; i++)
		free(vals[i]);
}

static void test_malformed(void)
{
	struct ksc_mc_udp_hdr h = { htons(9), 0, htons(1), 0 };

	send_raw("abcd", 4);
	expect_no_reply("a 4-byte datagram");
	send_raw(&h, sizeof(h));
	expect_no_reply("a header without a command");
	send_request(10, 2, "get big0\r\n", 10);
	expect_no_reply("a request claiming 2 datagrams");
	send_request(11, 0, "get big0\r\n", 10);
	expect_no_reply("a request claiming 0 datagrams");
	send_request(12, 1, "get big0", 8);
	expect_no_reply("a command without its newline");
	send_request(13, 1, "set q 0 0 1 noreply\r\nx\r\n", 24);
	expect_no_reply("noreply");
	expect_reply(14, "get q\r\n", 7, "VALUE q 0 1\r\nx\r\nEND\r\n", 21);
	expect_reply(15, "bogus\r\n", 7, "ERROR\r\n", 7);
	expect_reply(16, "get nokey\r\n", 11, "END\r\n", 5);
	/* Two commands in one datagram: one reply message with both answers. */
	expect_reply(17, "get q\r\nget nokey\r\n", 18,
		     "VALUE q 0 1\r\nx\r\nEND\r\nEND\r\n", 26);
}

/* Requests sent back to back are answered with their own ids. */
static void test_interleaved(void)
{
	size_t len;
	char *r;

	send_request(40001, 1, "get q\r\n", 7);
	send_request(40002, 1, "get nokey\r\n", 11);
	r = collect_reply(40001, &len);
	CHECK(r && strcmp(r, "VALUE q 0 1\r\nx\r\nEND\r\n") == 0, "first of two");
	free(r);
	r = collect_reply(40002, &len);
	CHECK(r && strcmp(r, "END\r\n") == 0, "second of two");
	free(r);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int size = 4 << 20;

	if (argc != 2) {
		fprintf(stderr, "usage: test_udp PORT\n");
		return 2;
	}
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("socket");
		return 2;
	}
	test_multi_datagram();
	test_malformed();
	test_interleaved();
	close(fd);
	return ksc_test_summary("memcached_udp");
}
