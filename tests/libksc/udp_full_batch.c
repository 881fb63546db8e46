// SPDX-License-Identifier: MIT
/* A full batch: n queued datagrams come back in one call, in order, with payloads and source addresses. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(8, SLOT_BYTES);
	struct sockaddr_in me;
	socklen_t len = sizeof(me);

	udp_connect(client, server);
	REQUIRE(getsockname(client, (struct sockaddr *)&me, &len) == 0);
	for (unsigned int i = 0; i < 8; i++)
		send_pattern(client, 100 + i, i);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, -1) == 8);
	for (unsigned int i = 0; i < 8; i++) {
		REQUIRE(msgs[i].len == 100 + i);
		REQUIRE(msgs[i].flags == 0);
		REQUIRE(is_pattern(msgs[i].buf, msgs[i].len, i));
		REQUIRE(msgs[i].addrlen == sizeof(me));
		REQUIRE(!memcmp(&msgs[i].addr, &me, sizeof(me)));
	}
	ksc_close(ctx);
	return 0;
}
