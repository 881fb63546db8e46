// SPDX-License-Identifier: MIT
/* With no backend named and no KSC_BACKEND, ksc_open() picks the build's default. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	KSC_OPTS(ksc_open_opts, opts, .device = "/dev/null");
	struct ksc *ctx = NULL;
	int err;

	unsetenv("KSC_BACKEND");
	REQUIRE(ksc_backend_compiled(ksc_default_backend()));
	err = ksc_open(&ctx, &opts);
	/* The luajit default cannot open /dev/null; every other default opens. */
	if (!strcmp(ksc_default_backend(), "luajit")) {
		REQUIRE(err == -ENOTTY);
		return 0;
	}
	REQUIRE(err == 0);
	REQUIRE(!strcmp(ksc_backend(ctx), ksc_default_backend()));
	ksc_close(ctx);
	return 0;
}
