// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) A script waiting on a socket with nothing to come is
 * ended by the state's time limit (-ETIME), not left blocking.
 */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

static const char script[] =
	"function block(fd, buf)\n"
	"  return ksc.socket(fd):recvmsg(buf, 0, buf:len())\n"
	"end\n";

int main(void)
{
	struct ksc *ctx = open_backend("luajit");
	KSC_OPTS(ksc_state_limits, lim, .call_time_ns = 300 * 1000000ull);
	char buf[64];
	struct ksc_val args[2] = { ksc_fd(udp_socket()), ksc_ubuf(buf, sizeof(buf)) }, res;
	long long start;

	REQUIRE(ksc_set_limits(ctx, &lim) == 0);
	REQUIRE(ksc_load(ctx, script, strlen(script), "=block") == 0);
	start = now_ms();
	REQUIRE(ksc_call(ctx, "block", args, 2, &res, 1) == -ETIME);
	REQUIRE(now_ms() - start >= 250 && now_ms() - start < 5000);
	REQUIRE(strstr(ksc_errmsg(ctx), "time limit exceeded while waiting on a socket"));
	ksc_close(ctx);
	return 0;
}
