// SPDX-License-Identifier: MIT
/* Backends that run no code refuse load, call and limits with -EOPNOTSUPP, and still count stats. */
#include <errno.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

int main(void)
{
	KSC_OPTS(ksc_open_opts, opts, .backend = "syscall");
	KSC_OPTS(ksc_state_limits, lim);
	KSC_OPTS(ksc_state_stats, st);
	struct ksc_val res;
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == 0);
	REQUIRE(ksc_load(ctx, "return 1", 8, NULL) == -EOPNOTSUPP);
	REQUIRE(strstr(ksc_errmsg(ctx), "syscall backend cannot load"));
	REQUIRE(ksc_call(ctx, "f", NULL, 0, &res, 1) == -EOPNOTSUPP);
	REQUIRE(ksc_get_limits(ctx, &lim) == -EOPNOTSUPP);
	REQUIRE(ksc_get_stats(ctx, &st) == 0);
	REQUIRE(st.crossings == 0 && st.calls == 0);
	REQUIRE(ksc_errmsg(ctx)[0] == '\0');
	ksc_close(ctx);
	return 0;
}
