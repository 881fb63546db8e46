// SPDX-License-Identifier: MIT
/* KSC_BACKEND picks the backend when the application names none, and only then. */
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	KSC_OPTS(ksc_open_opts, named, .backend = "syscall");
	struct ksc *ctx;

	setenv("KSC_BACKEND", "mmsg", 1);
	REQUIRE(ksc_open(&ctx, NULL) == 0);
	REQUIRE(!strcmp(ksc_backend(ctx), "mmsg"));
	ksc_close(ctx);

	REQUIRE(ksc_open(&ctx, &named) == 0);
	REQUIRE(!strcmp(ksc_backend(ctx), "syscall"));
	ksc_close(ctx);
	return 0;
}
