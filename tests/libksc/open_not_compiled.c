// SPDX-License-Identifier: MIT
/* (Built only without the ebpf backend.) A known backend that is not compiled in fails with -EOPNOTSUPP, never silently falls back. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "ebpf", .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;

	REQUIRE(!ksc_backend_compiled("ebpf"));
	REQUIRE(ksc_open(&ctx, &opts) == -EOPNOTSUPP);
	REQUIRE(strstr(why, "not compiled into this libksc"));
	return 0;
}
