// SPDX-License-Identifier: MIT
/*
 * lying_server MODE: a UDP "memcached" that answers ksc-loadgen's GETs with
 * the right value (the loadgen's own key/value pattern), except every 10th
 * reply, which it spoils as MODE says:
 *   value  one value byte changed       key    another key's name
 *   length one byte short               id     a request id nobody sent
 *   frame  a datagram count that lies   miss   END, as if the key were gone
 * It binds 127.0.0.1 port 0, prints the port on stdout, and serves until
 * killed. The test expects the loadgen to see every spoiled reply.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "keys.h"
#include "ksc_memcache_udp.h"

#define KEY_SIZE 16	/* ksc-loadgen's default --key-size */
#define NKEYS 1000

static const char *mode;

/* Builds the reply to "get <key>\r\n" into out; returns its length. */
static size_t answer(const struct lg_keyspace *ks, const char *req, size_t n,
		     char *out, unsigned count)
{
	const char *key = req + 4;
	bool lie = count % 10 == 9;
	uint64_t idx;
	size_t len;

	if (n != 4 + KEY_SIZE + 2 || memcmp(req, "get ", 4) != 0)
		return (size_t)sprintf(out, "ERROR\r\n");
	idx = strtoull(key + 4, NULL, 10);
	if (lie && strcmp(mode, "miss") == 0)
		return (size_t)sprintf(out, "END\r\n");
	len = (size_t)sprintf(out, "VALUE %.*s 0 %zu\r\n", KEY_SIZE, key,
			      ks->value_size - (lie && strcmp(mode, "length") == 0));
	if (lie && strcmp(mode, "key") == 0)
		lg_key_name(ks, (idx + 1) % NKEYS, out + 6);
	memcpy(out + len, lg_key_value(ks, idx), ks->value_size);
	if (lie && strcmp(mode, "value") == 0)
		out[len + ks->value_size / 2] ^= 0x20;
	if (lie && strcmp(mode, "length") == 0)
		len--;
	len += ks->value_size;
	memcpy(out + len, "\r\nEND\r\n", 7);
	return len + 7;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct lg_keyspace ks;
	unsigned count = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: lying_server value|key|length|id|frame|miss\n");
		return 2;
	}
	mode = argv[1];
	if (!lg_keyspace_init(&ks, NKEYS, KEY_SIZE, 32, false, 0))
		return 2;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		perror("lying_server");
		return 2;
	}
	printf("%u\n", ntohs(a.sin_port));
	fflush(stdout);
	for (;;) {
		char req[2048], rep[2048];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from, &flen);
		struct ksc_mc_udp_hdr h;
		bool lie;

		if (n < 8)
			continue;
		lie = count % 10 == 9;
		memcpy(&h, req, sizeof(h));
		h.seq = 0;
		h.total = htons(1);
		if (lie && strcmp(mode, "id") == 0)
			h.request_id = htons((uint16_t)(ntohs(h.request_id) + 30000));
		if (lie && strcmp(mode, "frame") == 0)
			h.total = htons(2);	/* says 2, sends seq 0 twice */
		memcpy(rep, &h, sizeof(h));
		n = (ssize_t)answer(&ks, req + 8, (size_t)n - 8, rep + 8, count++) + 8;
		sendto(fd, rep, (size_t)n, 0, (struct sockaddr *)&from, flen);
		if (lie && strcmp(mode, "frame") == 0)
			sendto(fd, rep, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
}
