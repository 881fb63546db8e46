// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) A batch script that fails half-way: the replies it sent
 * stay sent, *nsent counts them, and the Lua error comes back.
 */
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

/* Sends two of the replies (as the shipped script does), then fails. */
static const char failing_script[] =
	"function ksc_udp_send_recv(fd, nout, nin, timeout_ms, records, region)\n"
	"  local sock = ksc.socket(fd)\n"
	"  for i = 0, 1 do\n"
	"    assert(sock:send_record(region, records, i * 152) >= 0)\n"
	"  end\n"
	"  error('boom after two')\n"
	"end\n";

int main(void)
{
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .udp_script = failing_script);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES), *back = recv_slots(4, SLOT_BYTES);
	unsigned int sent = 0;
	struct ksc *ctx;
	int ret;

	/* Receive with the shipped script, reply with the failing one. */
	ctx = open_backend("luajit");
	udp_connect(client, server);
	for (unsigned int i = 0; i < 4; i++)
		send_pattern(client, 10 + i, i);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, -1) == 4);
	ksc_close(ctx);

	REQUIRE(ksc_open(&ctx, &opts) == 0);
	ret = ksc_udp_send_recv(ctx, server, msgs, 4, &sent, msgs, 4, 0);
	REQUIRE(ret < 0);
	REQUIRE(sent == 2);
	REQUIRE(strstr(ksc_errmsg(ctx), "boom after two"));
	ksc_close(ctx);

	ctx = open_backend("syscall");
	REQUIRE(ksc_udp_recv(ctx, client, back, 4, 1000) == 2);
	REQUIRE(back[0].len == 10 && is_pattern(back[0].buf, 10, 0));
	REQUIRE(back[1].len == 11 && is_pattern(back[1].buf, 11, 1));
	REQUIRE(ksc_udp_recv(ctx, client, back, 4, 100) == 0);
	ksc_close(ctx);
	return 0;
}
