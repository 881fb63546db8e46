// SPDX-License-Identifier: MIT
#include "prefill.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* SETs sent before their answers are read: enough to keep the pipe full,
 * few enough that the answers fit the socket buffers and the requests a
 * buffer of LG_PREFILL_BYTES. */
#define LG_PREFILL_WINDOW 256
#define LG_PREFILL_BYTES (4u << 20)

static int connect_tcp(const char *host, int port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char portstr[8];
	int fd = -1, rc;

	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc) {
		fprintf(stderr, "ksc-loadgen: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	if (fd < 0)
		fprintf(stderr, "ksc-loadgen: cannot connect to %s TCP port %d: %s\n",
			host, port, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads `count` lines and checks that each is STORED. */
static int expect_stored(int fd, uint64_t count)
{
	static const char ok[] = "STORED\r\n";
	char buf[4096];
	size_t have = 0;

	while (count) {
		char *nl = memchr(buf, '\n', have);
		ssize_t r;

		if (nl) {
			size_t len = (size_t)(nl - buf) + 1;

			if (len != sizeof(ok) - 1 || memcmp(buf, ok, len) != 0) {
				fprintf(stderr, "ksc-loadgen: prefill: server said '%.*s'\n",
					(int)len - 2 > 0 ? (int)len - 2 : 0, buf);
				return -1;
			}
			memmove(buf, buf + len, have - len);
			have -= len;
			count--;
			continue;
		}
		if (have == sizeof(buf)) {
			fprintf(stderr, "ksc-loadgen: prefill: reply line too long\n");
			return -1;
		}
		r = read(fd, buf + have, sizeof(buf) - have);
		if (r <= 0) {
			fprintf(stderr, "ksc-loadgen: prefill: connection %s\n",
				r == 0 ? "closed" : strerror(errno));
			return -1;
		}
		have += (size_t)r;
	}
	return 0;
}

int lg_prefill(const struct lg_config *cfg, const struct lg_keyspace *ks)
{
	size_t one = 4 + ks->key_size + 32 + ks->value_size + 2;
	uint64_t window = LG_PREFILL_BYTES / one ? LG_PREFILL_BYTES / one : 1;
	char *buf;
	int fd = connect_tcp(cfg->server, cfg->tcp_port);
	int rc = -1;

	if (window > LG_PREFILL_WINDOW)
		window = LG_PREFILL_WINDOW;
	buf = malloc(one * window);
	if (!buf || fd < 0)
		goto out;
	for (uint64_t k = 0; k < ks->nkeys;) {
		uint64_t n = 0;
		size_t len = 0;

		for (; n < window && k < ks->nkeys; n++, k++) {
			memcpy(buf + len, "set ", 4);
			len += 4;
			lg_key_name(ks, k, buf + len);
			len += ks->key_size;
			len += (size_t)sprintf(buf + len, " 0 0 %zu\r\n", ks->value_size);
			memcpy(buf + len, lg_key_value(ks, k), ks->value_size);
			len += ks->value_size;
			memcpy(buf + len, "\r\n", 2);
			len += 2;
		}
		if (write_all(fd, buf, len) < 0) {
			fprintf(stderr, "ksc-loadgen: prefill: %s\n", strerror(errno));
			goto out;
		}
		if (expect_stored(fd, n) < 0)
			goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}
