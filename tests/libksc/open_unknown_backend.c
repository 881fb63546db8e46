// SPDX-License-Identifier: MIT
/* An unknown backend name fails with -EINVAL and a message naming it and the compiled-in ones. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "ksc.h"

int main(void)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "dpdk", .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx = (struct ksc *)&opts;

	CHECK(ksc_open(&ctx, &opts) == -EINVAL);
	CHECK(ctx == NULL);
	CHECK(strstr(why, "unknown backend 'dpdk'"));
	CHECK(strstr(why, "syscall"));

	setenv("KSC_BACKEND", "bogus", 1);
	CHECK(ksc_open(&ctx, NULL) == -EINVAL);
	return 0;
}
