// SPDX-License-Identifier: MIT
/* A one-request-per-syscall memcached UDP GET responder (see mc_responder.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "mc_packet.h"
#include "mc_responder.h"

static const struct mc_item *find(const struct mc_responder *r, const char *key, size_t len)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (strlen(r->items[i].key) == len && !memcmp(r->items[i].key, key, len))
			return &r->items[i];
	return NULL;
}

/* The reply datagram to request[0..len); 0 when it is no single-key GET. */
static size_t answer(const struct mc_responder *r, const char *request, size_t len,
		     char *reply, size_t cap)
{
	const char *key = request + 12;
	const struct mc_item *item;
	size_t key_len, text;

	if (len < 8 + 4 + 2 || memcmp(request + 8, "get ", 4) ||
	    memcmp(request + len - 2, "\r\n", 2))
		return 0;
	key_len = len - 14;
	memcpy(reply, request, 2);		/* request id */
	memcpy(reply + 2, "\0\0\0\1\0\0", 6);	/* seq 0, total 1 */
	item = find(r, key, key_len);
	if (!item) {
		memcpy(reply + 8, "END\r\n", 5);
		return 13;
	}
	char name[256];

	snprintf(name, sizeof(name), "%.*s", (int)key_len, key);
	text = mc_hit_text(reply + 8, cap - 8, name, 0, item->data, item->len);
	return text ? 8 + text : 0;
}

static void *serve(void *arg)
{
	struct mc_responder *r = arg;
	char request[1500], reply[MC_PACKET_MAX];
	struct sockaddr_storage peer;

	while (!atomic_load(&r->stop)) {
		socklen_t peer_len = sizeof(peer);
		ssize_t n = recvfrom(r->fd, request, sizeof(request), 0,
				     (struct sockaddr *)&peer, &peer_len);
		size_t reply_len;

		if (n < 0)
			continue;	/* the timeout: look at stop again */
		atomic_fetch_add(&r->requests, 1);
		reply_len = answer(r, request, n, reply, sizeof(reply));
		if (reply_len)
			sendto(r->fd, reply, reply_len, 0, (struct sockaddr *)&peer, peer_len);
	}
	return NULL;
}

int mc_responder_start(struct mc_responder *r)
{
	struct timeval tick = { .tv_usec = 100000 };

	atomic_store(&r->requests, 0);
	atomic_store(&r->stop, false);
	if (setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick)))
		return -errno;
	return -pthread_create(&r->thread, NULL, serve, r);
}

void mc_responder_stop(struct mc_responder *r)
{
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
}
