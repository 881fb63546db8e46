// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) Batch scripts that return garbage: a string, nothing, a
 * count above the batch or no integer or out of errno range, a count whose
 * records were never written, a record longer than its buffer, replies
 * marked sent out of order, replies left unsent without an error. Each is
 * -EPROTO with a message; the application's array is left as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

static const struct {
	const char *script;
	unsigned int nout;	/* replies handed to it */
} cases[] = {
	{ "function ksc_udp_send_recv() return 'hello' end", 0 },
	{ "function ksc_udp_send_recv() return end", 0 },
	{ "function ksc_udp_send_recv(fd, nout, nin) return nin + 1 end", 0 },
	{ "function ksc_udp_send_recv() return 1.5 end", 0 },
	{ "function ksc_udp_send_recv() return -100000 end", 0 },
	{ "function ksc_udp_send_recv(fd, nout, nin) return nin end", 0 },
	{ "function ksc_udp_send_recv(fd, nout, nin, t, records)\n"
	  "  records:write_u32(0, 1e6) records:write_u32(8, 0) return 1 end", 0 },
	{ "function ksc_udp_send_recv(fd, nout, nin, t, records)\n"
	  "  records:write_u32(152 + 4, 2) return -1 end", 2 },
	{ "function ksc_udp_send_recv() return 0 end", 1 },
};

int main(void)
{
	int server = udp_socket();
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES);
	unsigned int sent;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .udp_script = cases[i].script);
		unsigned int nout = cases[i].nout;
		struct ksc *ctx;
		int ret;

		REQUIRE(ksc_open(&ctx, &opts) == 0);
		msgs[0].len = 3;
		msgs[0].addrlen = 0;
		ret = ksc_udp_send_recv(ctx, server, msgs, nout, &sent, msgs, 4, 0);
		if (ret != -EPROTO || !strstr(ksc_errmsg(ctx), "garbage")) {
			fprintf(stderr, "script %zu: %d %s\n", i, ret, ksc_errmsg(ctx));
			REQUIRE(ret == -EPROTO);
		}
		REQUIRE(msgs[0].len == 3 && msgs[0].addrlen == 0);
		ksc_close(ctx);
	}
	return 0;
}
