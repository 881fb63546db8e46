// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) Batch scripts that return garbage: a string, a count
 * above the batch, a count whose slots were never written, a slot longer
 * than its buffer, replies left unsent without an error. Each is -EPROTO
 * with a message; the application's array is left as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "udp_util.h"

static const char *const scripts[] = {
	"function ksc_udp_send_recv() return 'hello' end",
	"function ksc_udp_send_recv() return end",
	"function ksc_udp_send_recv(fd, nout, nin) return nin + 1 end",
	"function ksc_udp_send_recv() return 1.5 end",
	"function ksc_udp_send_recv() return -100000 end",
	"function ksc_udp_send_recv(fd, nout, nin) return nin end",
	"function ksc_udp_send_recv(fd, nout, nin, t, slots)\n"
	"  slots:write_u32(16, 1e6) slots:write_u32(24, 0) return 1 end",
	"function ksc_udp_send_recv(fd, nout, nin, t, slots)\n"
	"  slots:write_u32(0, nout + 1) return 0 end",
	"function ksc_udp_send_recv() return 0 end",	/* with replies to send */
};

int main(void)
{
	int server = udp_socket();
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES);
	unsigned int sent;

	msgs[0].len = 3;
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .udp_script = scripts[i]);
		unsigned int nout = i + 1 == sizeof(scripts) / sizeof(scripts[0]) ? 1 : 0;
		struct ksc *ctx;
		int ret;

		CHECK(ksc_open(&ctx, &opts) == 0);
		msgs[0].len = 3;
		msgs[0].addrlen = 0;
		ret = ksc_udp_send_recv(ctx, server, msgs, nout, &sent, msgs, 4, 0);
		if (ret != -EPROTO || !strstr(ksc_errmsg(ctx), "garbage")) {
			fprintf(stderr, "script %zu: %d %s\n", i, ret, ksc_errmsg(ctx));
			CHECK(ret == -EPROTO);
		}
		CHECK(msgs[0].len == 3 && msgs[0].addrlen == 0);
		ksc_close(ctx);
	}
	return 0;
}
