// SPDX-License-Identifier: MIT
/* Sending a batch: every datagram arrives, to its own destination, with its own length. */
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), peers[2] = { udp_socket(), udp_socket() };
	struct ksc_msg *out = recv_slots(6, SLOT_BYTES), *in = recv_slots(6, SLOT_BYTES);
	unsigned int sent = 0;

	for (int p = 0; p < 2; p++) {
		udp_connect(peers[p], server);
		send_pattern(peers[p], 1, 0);
	}
	REQUIRE(ksc_udp_recv(ctx, server, in, 2, -1) == 2);
	for (unsigned int i = 0; i < 6; i++) {
		out[i].len = 50 * i;
		for (unsigned int b = 0; b < out[i].len; b++)
			((unsigned char *)out[i].buf)[b] = (unsigned char)(i + b);
		out[i].addr = in[i % 2].addr;
		out[i].addrlen = in[i % 2].addrlen;
	}
	REQUIRE(ksc_udp_send(ctx, server, out, 6, &sent) == 0);
	REQUIRE(sent == 6);
	for (int p = 0; p < 2; p++) {
		REQUIRE(ksc_udp_recv(ctx, peers[p], in, 6, 1000) == 3);
		for (unsigned int k = 0; k < 3; k++) {
			unsigned int i = 2 * k + (unsigned int)p;

			REQUIRE(in[k].len == 50 * i && is_pattern(in[k].buf, in[k].len, i));
		}
	}
	ksc_close(ctx);
	return 0;
}
