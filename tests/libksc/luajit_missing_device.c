// SPDX-License-Identifier: MIT
/* luajit without its device fails at open with -ENOENT and says the module is not loaded. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .device = "/nonexistent/ksc",
		 .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == -ENOENT);
	REQUIRE(strstr(why, "/nonexistent/ksc does not exist"));
	REQUIRE(strstr(why, "module is not loaded"));
	return 0;
}
