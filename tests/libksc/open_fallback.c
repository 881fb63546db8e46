// SPDX-License-Identifier: MIT
/* KSC_OPEN_FALLBACK: a backend that cannot open gives way to syscall, and ksc_errmsg() says why. */
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .device = "/nonexistent/ksc",
		 .flags = KSC_OPEN_FALLBACK);
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == 0);
	REQUIRE(!strcmp(ksc_backend(ctx), "syscall"));
	REQUIRE(strstr(ksc_errmsg(ctx), "fell back to syscall"));
	REQUIRE(strstr(ksc_errmsg(ctx), "module is not loaded"));
	ksc_close(ctx);
	return 0;
}
