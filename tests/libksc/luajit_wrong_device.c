// SPDX-License-Identifier: MIT
/* luajit on a device that is not ksc (/dev/null answers no ksc ioctl) fails with -ENOTTY. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .device = "/dev/null",
		 .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == -ENOTTY);
	REQUIRE(strstr(why, "/dev/null is not the ksc device"));
	return 0;
}
