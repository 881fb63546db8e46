// SPDX-License-Identifier: MIT
/* An unknown backend name fails with -EINVAL and a message naming it and the compiled-in ones. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "dpdk", .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx = (struct ksc *)&opts;

	REQUIRE(ksc_open(&ctx, &opts) == -EINVAL);
	REQUIRE(ctx == NULL);
	REQUIRE(strstr(why, "unknown backend 'dpdk'"));
	REQUIRE(strstr(why, "syscall"));

	setenv("KSC_BACKEND", "bogus", 1);
	REQUIRE(ksc_open(&ctx, NULL) == -EINVAL);
	return 0;
}
