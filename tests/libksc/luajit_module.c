// SPDX-License-Identifier: MIT
/*
 * The luajit backend and the module's ABI: ksc_get_module_version() reports
 * what KSC_IOC_VERSION said (filled up to an older caller's size), the
 * limits in force stay under its ceilings; a state belongs to the opening
 * process (a forked child gets -EPERM with the module's message) unless
 * opened with KSC_OPEN_SHAREABLE. Needs /dev/ksc (the guest), else skips.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksc.h"
#include "ksc_test.h"

static const char code[] = "function f() return 42 end";

static struct ksc *open_luajit(uint32_t flags)
{
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .flags = flags);
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == 0);
	return ctx;
}

/* In a forked child: load and call f; the exit status says how it went. */
static int child_uses(struct ksc *ctx)
{
	struct ksc_val res;
	int status;
	pid_t pid = fork();

	REQUIRE(pid >= 0);
	if (pid == 0) {
		int err = ksc_load(ctx, code, strlen(code), "=child");

		if (err == -EPERM && strstr(ksc_errmsg(ctx), "belongs to the process"))
			_exit(10);
		_exit(!err && ksc_call(ctx, "f", NULL, 0, &res, 1) == 1 && res.v.i == 42 ? 0 : 1);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	return WEXITSTATUS(status);
}

int main(void)
{
	struct ksc_module_version version = { .sz = sizeof(version) };
	struct ksc_state_limits lim = { .sz = sizeof(lim) };
	struct ksc_module_version older;
	struct ksc *ctx;

	ksc_test_need_device("/dev/ksc");
	ctx = open_luajit(0);
	CHECK(ksc_get_module_version(ctx, &version) == 0, "%s", ksc_errmsg(ctx));
	CHECK(version.abi >= 1, "abi %u", version.abi);
	CHECK(version.features & KSC_FEATURE_SHARE, "features 0x%x", version.features);
	CHECK(version.mem_max_bytes && version.call_time_max_ns && version.stack_max_bytes &&
	      version.out_max_bytes && version.script_max_bytes && version.states_per_user &&
	      version.states_max && version.socket_ops_per_call, "a ceiling is 0");
	CHECK(ksc_get_limits(ctx, &lim) == 0, "%s", ksc_errmsg(ctx));
	CHECK(lim.mem_bytes <= version.mem_max_bytes && lim.call_time_ns <= version.call_time_max_ns &&
	      lim.stack_bytes <= version.stack_max_bytes && lim.out_bytes <= version.out_max_bytes,
	      "limits above the ceilings");

	/* An older caller's struct ends after features: nothing beyond is written. */
	memset(&older, 0xa5, sizeof(older));
	older.sz = offsetof(struct ksc_module_version, mem_max_bytes);
	CHECK(ksc_get_module_version(ctx, &older) == 0, "%s", ksc_errmsg(ctx));
	CHECK(older.abi == version.abi && older.features == version.features, "older caller");
	CHECK(older.mem_max_bytes == 0xa5a5a5a5a5a5a5a5ULL, "written beyond the caller's size");

	CHECK(child_uses(ctx) == 10, "a child used a state that is not shared");
	ksc_close(ctx);

	ctx = open_luajit(KSC_OPEN_SHAREABLE);
	CHECK(child_uses(ctx) == 0, "a child could not use a shareable state");
	ksc_close(ctx);
	return ksc_test_summary("luajit_module");
}
