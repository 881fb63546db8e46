// SPDX-License-Identifier: MIT
/*
 * The ebpf backend through libksc's generic API: ksc_call() of the built-in
 * key_hash, ksc_load() of the user's own BPF object then ksc_call() of its
 * function, clear errors for what the backend refuses (errnos only, libbpf
 * silent on stderr, its words in ksc_errmsg()), and, for a user
 * without CAP_BPF, a failed ksc_open() that names the privileges.
 * Usage: test_libksc_ebpf SUM_BPF_OBJECT XDP_BPF_OBJECT
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksc.h"
#include "ksc_test.h"

/* Code the backend refuses: a negative errno, a message, nothing on stderr. */
static void refusals_are_quiet(struct ksc *ctx)
{
	static const char lua[] = "function f() return 1 end";
	static const char bad_elf[] = "\x7f" "ELF and then nothing an ELF object has";
	FILE *err = tmpfile();
	int saved = dup(STDERR_FILENO), ret;

	CHECK(err && saved >= 0 && dup2(fileno(err), STDERR_FILENO) >= 0, "stderr to a file");
	CHECK(ksc_load(ctx, lua, sizeof(lua) - 1, "=lua") == -EINVAL &&
	      strstr(ksc_errmsg(ctx), "not text: Lua runs on the luajit backend"),
	      "Lua text: %s", ksc_errmsg(ctx));
	ret = ksc_load(ctx, bad_elf, sizeof(bad_elf) - 1, "bad");
	CHECK(ret == -EINVAL && strstr(ksc_errmsg(ctx), "(libbpf: "),
	      "a broken ELF object: %d %s", ret, ksc_errmsg(ctx));
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	CHECK(ftell(err) == 0, "libbpf printed nothing on stderr (%ld bytes)", ftell(err));
	fclose(err);
}

static void calls(struct ksc *ctx, const char *sum_obj, const char *xdp_obj)
{
	struct ksc_val args[5] = { ksc_lstring("foo", 3) }, res[2];

	CHECK(ksc_call(ctx, "key_hash", args, 1, res, 2) == 1 && res[0].type == KSC_VAL_INTEGER &&
	      res[0].v.i == 193491849, "key_hash(\"foo\"): %s", ksc_errmsg(ctx));
	CHECK(ksc_call(ctx, "sum", args, 1, res, 2) == -ENOENT &&
	      strstr(ksc_errmsg(ctx), "no BPF function 'sum'"), "before load: %s", ksc_errmsg(ctx));
	CHECK(ksc_load_file(ctx, sum_obj) == 0, "load %s: %s", sum_obj, ksc_errmsg(ctx));
	args[0] = ksc_integer(40);
	args[1] = ksc_integer(2);
	CHECK(ksc_call(ctx, "sum", args, 2, res, 2) == 1 && res[0].v.i == 42, "sum(40, 2): %s",
	      ksc_errmsg(ctx));
	CHECK(ksc_call(ctx, "sum", args, 1, res, 2) == -EINVAL &&
	      strstr(ksc_errmsg(ctx), "refused its arguments"), "sum(40): %s", ksc_errmsg(ctx));
	CHECK(ksc_call(ctx, "sum", args, 5, res, 2) == -E2BIG, "five arguments");
	args[0] = ksc_number(1.5);
	CHECK(ksc_call(ctx, "sum", args, 2, res, 2) == -EINVAL, "a number argument");
	CHECK(ksc_load_file(ctx, xdp_obj) == -EINVAL, "an XDP object is no function");
	CHECK(ksc_load(ctx, "not an ELF file", 15, "junk") < 0, "junk refused");
	refusals_are_quiet(ctx);
	args[0] = ksc_integer(1);
	CHECK(ksc_call(ctx, "sum", args, 2, res, 2) == 1 && res[0].v.i == 3,
	      "still works after refused loads");
}

/* uid 1000 without capabilities: ksc_open() fails and says what is missing. */
static void unprivileged_open(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char why[256] = "";
		KSC_OPTS(ksc_open_opts, opts, .backend = "ebpf", .errbuf = why,
			 .errbuf_len = sizeof(why));
		struct ksc *ctx;
		int err;

		if (setgid(1000) || setuid(1000))
			_exit(2);
		err = ksc_open(&ctx, &opts);
		fprintf(stderr, "unprivileged: %d %s\n", err, why);
		_exit(err == -EPERM && strstr(why, "needs CAP_BPF and CAP_NET_ADMIN") ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "unprivileged ksc_open must fail with the privileges named");
}

int main(int argc, char **argv)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "ebpf", .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc_state_stats stats = { .sz = sizeof(stats) };
	struct ksc *ctx;
	int err;

	ksc_test_need_root();	/* the ebpf backend needs CAP_BPF */
	if (argc != 3)
		return 2;
	err = ksc_open(&ctx, &opts);
	if (err) {
		fprintf(stderr, "ksc_open: %s\n", why);
		return 1;
	}
	CHECK(!strcmp(ksc_backend(ctx), "ebpf"), "backend %s", ksc_backend(ctx));
	calls(ctx, argv[1], argv[2]);
	CHECK(ksc_get_stats(ctx, &stats) == 0 && stats.loads == 3 && stats.calls == 5 &&
	      stats.errors == 6, "stats: %llu loads, %llu calls, %llu errors",
	      (unsigned long long)stats.loads, (unsigned long long)stats.calls,
	      (unsigned long long)stats.errors);
	ksc_close(ctx);
	unprivileged_open();
	return ksc_test_summary("libksc_ebpf");
}
