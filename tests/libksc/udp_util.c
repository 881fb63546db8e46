// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

struct ksc *open_backend(const char *name)
{
	char why[256];
	KSC_OPTS(ksc_open_opts, opts, .backend = name, .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;
	int err = name ? ksc_open(&ctx, &opts) : -EINVAL;

	/* ebpf without CAP_BPF, luajit without the module: not here. */
	if (err == -EPERM || err == -ENOENT)
		ksc_test_skip("backend %s cannot run here: %s", name, why);
	if (err) {
		fprintf(stderr, "cannot open backend %s: %s\n", name ? name : "(none given)",
			name ? why : "");
		exit(1);
	}
	return ctx;
}

int udp_socket(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	REQUIRE(fd >= 0);
	REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	return fd;
}

void udp_connect(int client, int server)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	REQUIRE(getsockname(server, (struct sockaddr *)&sin, &len) == 0);
	REQUIRE(connect(client, (struct sockaddr *)&sin, len) == 0);
}

void send_pattern(int client, size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len ? len : 1);

	REQUIRE(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed + i);
	REQUIRE(send(client, buf, len, 0) == (ssize_t)len);
	free(buf);
}

int is_pattern(const void *buf, size_t len, unsigned int seed)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed + i))
			return 0;
	return 1;
}

struct ksc_msg *recv_slots(unsigned int n, unsigned int cap)
{
	struct ksc_msg *msgs = calloc(n, sizeof(*msgs));

	REQUIRE(msgs);
	for (unsigned int i = 0; i < n; i++) {
		msgs[i].buf = malloc(SLOT_BYTES);
		REQUIRE(msgs[i].buf);
		msgs[i].cap = cap < SLOT_BYTES ? cap : SLOT_BYTES;
	}
	return msgs;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
