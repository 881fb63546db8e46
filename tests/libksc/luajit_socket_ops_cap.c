// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) One CALL may make at most socket_ops_per_call socket
 * operations (default 4096): a script that loops on its socket is stopped
 * with -E2BIG and says why; the next call starts a fresh count.
 */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

static const char script[] =
	"function spin(fd, n)\n"
	"  local s = ksc.socket(fd)\n"
	"  for i = 1, n do s:wait(0) end\n"
	"  return n\n"
	"end\n";

int main(void)
{
	struct ksc *ctx = open_backend("luajit");
	struct ksc_val args[2] = { ksc_fd(udp_socket()), ksc_integer(5000) }, res;

	REQUIRE(ksc_load(ctx, script, strlen(script), "=cap") == 0);
	REQUIRE(ksc_call(ctx, "spin", args, 2, &res, 1) == -E2BIG);
	REQUIRE(strstr(ksc_errmsg(ctx), "socket operations in one call"));
	args[1] = ksc_integer(4000);
	REQUIRE(ksc_call(ctx, "spin", args, 2, &res, 1) == 1);
	REQUIRE(res.type == KSC_VAL_INTEGER && res.v.i == 4000);
	ksc_close(ctx);
	return 0;
}
