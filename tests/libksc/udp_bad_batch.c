// SPDX-License-Identifier: MIT
/* Batches above KSC_UDP_BATCH_MAX, or without an array, are refused with -EINVAL before any I/O. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	struct ksc_msg *msgs = recv_slots(KSC_UDP_BATCH_MAX + 1, SLOT_BYTES);
	int server = udp_socket();
	unsigned int sent = 5;
	KSC_OPTS(ksc_state_stats, st);

	REQUIRE(ksc_udp_recv(ctx, server, msgs, KSC_UDP_BATCH_MAX + 1, 0) == -EINVAL);
	REQUIRE(strstr(ksc_errmsg(ctx), "at most"));
	REQUIRE(ksc_udp_send(ctx, server, msgs, KSC_UDP_BATCH_MAX + 1, &sent) == -EINVAL);
	REQUIRE(sent == 0);
	REQUIRE(ksc_udp_recv(ctx, server, NULL, 1, 0) == -EINVAL);
	REQUIRE(ksc_udp_send_recv(ctx, server, NULL, 2, &sent, msgs, 1, 0) == -EINVAL);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 0, -1) == 0);
	REQUIRE(ksc_get_stats(ctx, &st) == 0 && st.crossings == 0);
	ksc_close(ctx);
	return 0;
}
