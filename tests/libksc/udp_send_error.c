// SPDX-License-Identifier: MIT
/*
 * A datagram that cannot be sent (too big for UDP) stops the batch there:
 * the ones before it were sent, it and the ones after it were not, and
 * *nsent and the error say so.
 */
#include <errno.h>
#include <stdlib.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *in = recv_slots(4, SLOT_BYTES), out[3] = { 0 };
	char *huge = calloc(1, 70000);
	unsigned int sent = 0;

	REQUIRE(huge);
	udp_connect(client, server);
	send_pattern(client, 4, 0);
	REQUIRE(ksc_udp_recv(ctx, server, in, 1, -1) == 1);
	for (int i = 0; i < 3; i++) {
		out[i].buf = huge;
		out[i].len = i == 1 ? 70000 : 8;
		out[i].addr = in[0].addr;
		out[i].addrlen = in[0].addrlen;
	}
	REQUIRE(ksc_udp_send(ctx, server, out, 3, &sent) == -EMSGSIZE);
	REQUIRE(sent == 1);
	REQUIRE(ksc_errmsg(ctx)[0] != '\0');
	REQUIRE(ksc_udp_recv(ctx, client, in, 4, 200) == 1);
	REQUIRE(in[0].len == 8);

	/* The combined call reports the same, and receives nothing. */
	send_pattern(client, 4, 0);
	REQUIRE(ksc_udp_send_recv(ctx, server, out, 3, &sent, in, 4, 0) == -EMSGSIZE);
	REQUIRE(sent == 1);
	REQUIRE(ksc_udp_recv(ctx, server, in, 4, 0) == 1);
	ksc_close(ctx);
	return 0;
}
