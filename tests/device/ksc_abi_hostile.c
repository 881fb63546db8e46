// SPDX-License-Identifier: MIT
/*
 * ksc-abi-hostile: every /dev/ksc ioctl field given NULL, kernel-space and
 * unmapped pointers; truncated, oversized and future-version structs;
 * unknown ioctl numbers; bad argument types and descriptors. Each case must
 * fail with its documented errno, and the state must still work afterwards.
 * Prints one line per case; exits 1 if any case failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_test.h"

#define KERNEL_PTR 0xffffffff81000000ULL	/* kernel text */
#define DIRECT_MAP_PTR 0xffff888000100000ULL	/* kernel direct map */

static const char script[] =
	"function echo(...) return ... end\n"
	"function say(s) print(s) error('failed: ' .. s) end\n"
	"function peek(b) return b:read(0, 1) end\n"
	"function poke(b) b:write(0, 'x') end\n";

static int fd;
static uint64_t unmapped;
static int failures;

static void expect(const char *name, int ret, int want)
{
	int got = ret < 0 ? errno : 0;

	if (got == want) {
		printf("  ok   %s: %s\n", name, want ? ksc_errno_name(want) : "0");
	} else {
		printf("  FAIL %s: got %s, wanted %s\n", name,
		       got ? ksc_errno_name(got) : "0", want ? ksc_errno_name(want) : "0");
		failures++;
	}
}

static uint64_t ptr(const void *p)
{
	return (uintptr_t)p;
}

static struct ksc_load_args load_args(const char *text)
{
	struct ksc_load_args a = {
		.size = sizeof(a),
		.script = ptr(text),
		.script_len = strlen(text),
	};
	return a;
}

static int do_load(struct ksc_load_args *a)
{
	return ioctl(fd, KSC_IOC_LOAD, a);
}

static struct ksc_call_args call_args(const char *func, struct ksc_value *args, uint32_t nargs,
				      struct ksc_value *res, uint32_t nres)
{
	struct ksc_call_args a = {
		.size = sizeof(a),
		.func = ptr(func),
		.args = ptr(args),
		.nargs = nargs,
		.results = ptr(res),
		.nresults = nres,
	};
	return a;
}

static int do_call(struct ksc_call_args *a)
{
	return ioctl(fd, KSC_IOC_CALL, a);
}

/* The bad addresses every pointer field is tried with. */
static const struct {
	const char *name;
	uint64_t *addr;
} bad_ptrs[] = {
	{ "NULL", &(uint64_t){ 0 } },
	{ "kernel text", &(uint64_t){ KERNEL_PTR } },
	{ "kernel direct map", &(uint64_t){ DIRECT_MAP_PTR } },
	{ "unmapped", &unmapped },
};
#define N_BAD (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))

static void struct_pointer_cases(void)
{
	static const struct {
		const char *name;
		unsigned long cmd;
	} cmds[] = {
		{ "LOAD", KSC_IOC_LOAD }, { "CALL", KSC_IOC_CALL },
		{ "LIMITS", KSC_IOC_LIMITS }, { "STATS", KSC_IOC_STATS },
	};
	char name[128];

	for (size_t c = 0; c < 4; c++)
		for (size_t b = 0; b < N_BAD; b++) {
			snprintf(name, sizeof(name), "%s: the struct pointer is %s", cmds[c].name, bad_ptrs[b].name);
			expect(name, ioctl(fd, cmds[c].cmd, (void *)(uintptr_t)*bad_ptrs[b].addr), EFAULT);
		}
}

/* Sizes: truncated, zero, oversized, future with and without a zero tail. */
static void size_cases(void)
{
	struct {
		struct ksc_stats st;
		uint64_t future[4];
	} big;
	struct ksc_load_args la = load_args("x = 1");

	memset(&big, 0, sizeof(big));
	big.st.size = KSC_STATS_SIZE_VER0 - 8;
	expect("STATS: shorter than the first version", ioctl(fd, KSC_IOC_STATS, &big), EINVAL);
	/* A caller built against the first version: its size in, only that much out. */
	memset(&big, 0xee, sizeof(big));
	big.st.size = KSC_STATS_SIZE_VER0;
	big.st.flags = 0;
	expect("STATS: first-version struct", ioctl(fd, KSC_IOC_STATS, &big), 0);
	if (big.st.max_nopreempt_ns != 0xeeeeeeeeeeeeeeeeULL) {
		printf("  FAIL STATS: the module wrote past a first-version struct\n");
		failures++;
	}
	memset(&big, 0, sizeof(big));
	big.st.size = 0;
	expect("STATS: size 0", ioctl(fd, KSC_IOC_STATS, &big), EINVAL);
	big.st.size = 1 << 20;
	expect("STATS: oversized struct", ioctl(fd, KSC_IOC_STATS, &big), E2BIG);
	big.st.size = sizeof(big);
	expect("STATS: future struct, zero tail", ioctl(fd, KSC_IOC_STATS, &big), 0);
	big.future[2] = 1;
	expect("STATS: future struct, non-zero tail", ioctl(fd, KSC_IOC_STATS, &big), E2BIG);
	big.future[2] = 0;
	big.st.flags = 1;
	expect("STATS: unknown flags", ioctl(fd, KSC_IOC_STATS, &big), EINVAL);
	la.size = KSC_LOAD_ARGS_SIZE_VER0 - 4;
	expect("LOAD: truncated struct", do_load(&la), EINVAL);
	la.size = sizeof(la);
	la.flags = 2;
	expect("LOAD: unknown flags", do_load(&la), EINVAL);
}

static void load_cases(void)
{
	char name[128], longname[512];
	struct ksc_load_args a;

	for (size_t b = 0; b < N_BAD; b++) {
		a = load_args("x = 1");
		a.script = *bad_ptrs[b].addr;
		snprintf(name, sizeof(name), "LOAD: script is %s", bad_ptrs[b].name);
		expect(name, do_load(&a), EFAULT);
		if (*bad_ptrs[b].addr) {
			a = load_args("x = 1");
			a.name = *bad_ptrs[b].addr;
			snprintf(name, sizeof(name), "LOAD: chunk name is %s", bad_ptrs[b].name);
			expect(name, do_load(&a), EFAULT);
		}
		a = load_args("error('boom')");
		a.err.ptr = *bad_ptrs[b].addr;
		a.err.len = 64;
		snprintf(name, sizeof(name), "LOAD: error buffer is %s", bad_ptrs[b].name);
		expect(name, do_load(&a), EFAULT);
		a = load_args("print('hello')");
		a.out.ptr = *bad_ptrs[b].addr;
		a.out.len = 64;
		snprintf(name, sizeof(name), "LOAD: output buffer is %s", bad_ptrs[b].name);
		expect(name, do_load(&a), EFAULT);
	}
	a = load_args("x = 1");
	a.name = 0;
	expect("LOAD: chunk name NULL means the default", do_load(&a), 0);
	a = load_args("x = 1");
	a.script_len = 1ULL << 40;
	expect("LOAD: script larger than script_max_bytes", do_load(&a), E2BIG);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	a = load_args("x = 1");
	a.name = ptr(longname);
	expect("LOAD: chunk name too long", do_load(&a), ENAMETOOLONG);
	a = load_args("\033LJ\002\000\000");
	a.script_len = 6;
	expect("LOAD: bytecode is refused", do_load(&a), EINVAL);
}

static void call_cases(void)
{
	struct ksc_value args[2], res[2];
	struct ksc_call_args a;
	char name[128];

	for (size_t b = 0; b < N_BAD; b++) {
		uint64_t bad = *bad_ptrs[b].addr;

		a = call_args("echo", args, 0, res, 0);
		a.func = bad;
		snprintf(name, sizeof(name), "CALL: function name is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		a = call_args("echo", args, 1, res, 1);
		a.args = bad;
		snprintf(name, sizeof(name), "CALL: argument array is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		memset(args, 0, sizeof(args));
		a = call_args("echo", args, 1, res, 1);
		a.results = bad;
		snprintf(name, sizeof(name), "CALL: result array is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		args[0] = (struct ksc_value){ .type = KSC_TYPE_STRING, .len = 5, .v.ptr = bad };
		a = call_args("echo", args, 1, res, 1);
		snprintf(name, sizeof(name), "CALL: string argument is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		args[0] = (struct ksc_value){ .type = KSC_TYPE_UBUF, .len = 16, .v.ptr = bad };
		a = call_args("peek", args, 1, res, 1);
		snprintf(name, sizeof(name), "CALL: user buffer read at %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		a = call_args("poke", args, 1, res, 1);
		snprintf(name, sizeof(name), "CALL: user buffer write at %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		args[0] = (struct ksc_value){ .type = KSC_TYPE_STRING, .len = 3, .v.ptr = ptr("abc") };
		res[0] = (struct ksc_value){ .len = 8, .v.ptr = bad };
		a = call_args("echo", args, 1, res, 1);
		snprintf(name, sizeof(name), "CALL: string result buffer is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		args[0] = (struct ksc_value){ .type = KSC_TYPE_STRING, .len = 3, .v.ptr = ptr("abc") };
		a = call_args("say", args, 1, res, 0);
		a.err.ptr = bad;
		a.err.len = 64;
		snprintf(name, sizeof(name), "CALL: error buffer is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
		a = call_args("say", args, 1, res, 0);
		a.out.ptr = bad;
		a.out.len = 64;
		snprintf(name, sizeof(name), "CALL: output buffer is %s", bad_ptrs[b].name);
		expect(name, do_call(&a), EFAULT);
	}
	a = call_args("echo", args, 100000, res, 1);
	expect("CALL: too many arguments", do_call(&a), E2BIG);
	args[0] = (struct ksc_value){ .type = 99 };
	a = call_args("echo", args, 1, res, 1);
	expect("CALL: unknown argument type", do_call(&a), EINVAL);
	args[0] = (struct ksc_value){ .type = KSC_TYPE_OTHER };
	a = call_args("echo", args, 1, res, 1);
	expect("CALL: OTHER is not an argument type", do_call(&a), EINVAL);
	args[0] = (struct ksc_value){ .type = KSC_TYPE_FD, .v.i = -1 };
	a = call_args("echo", args, 1, res, 1);
	expect("CALL: descriptor -1", do_call(&a), EBADF);
	args[0] = (struct ksc_value){ .type = KSC_TYPE_FD, .v.i = 4000 };
	a = call_args("echo", args, 1, res, 1);
	expect("CALL: descriptor not open", do_call(&a), EBADF);
	args[0] = (struct ksc_value){ .type = KSC_TYPE_UBUF, .len = 1 };
	args[0].v.ptr = ptr(name);
	a = call_args("peek", args, 1, res, 1);
	a.flags = 1;
	expect("CALL: unknown flags", do_call(&a), EINVAL);
}

static void limits_cases(void)
{
	struct ksc_limits lim = { .size = sizeof(lim) };

	lim.flags = 1U << 7;
	expect("LIMITS: unknown flags", ioctl(fd, KSC_IOC_LIMITS, &lim), EINVAL);
	lim.flags = KSC_LIMITS_SET;
	lim.mem_bytes = ~0ULL;
	expect("LIMITS: raising memory", ioctl(fd, KSC_IOC_LIMITS, &lim), EPERM);
	lim.mem_bytes = 0;
	lim.call_time_ns = ~0ULL;
	expect("LIMITS: raising time", ioctl(fd, KSC_IOC_LIMITS, &lim), EPERM);
}

/* VERSION: first-version and future callers, the module's figures. */
static void version_cases(void)
{
	struct {
		struct ksc_version v;
		uint64_t future[2];
	} big;

	memset(&big, 0, sizeof(big));
	big.v.size = KSC_VERSION_SIZE_VER0;
	expect("VERSION: first-version struct", ioctl(fd, KSC_IOC_VERSION, &big), 0);
	if (big.v.abi != KSC_ABI_VERSION || !(big.v.features & KSC_FEATURE_SHARE) ||
	    !big.v.mem_max_bytes || !big.v.call_time_max_ns || !big.v.states_max) {
		printf("  FAIL VERSION: abi %u, features %#x, mem_max_bytes %llu\n", big.v.abi,
		       big.v.features, (unsigned long long)big.v.mem_max_bytes);
		failures++;
	}
	big.v.size = sizeof(big);
	expect("VERSION: future struct, zero tail", ioctl(fd, KSC_IOC_VERSION, &big), 0);
	big.future[1] = 7;
	expect("VERSION: future struct, non-zero tail", ioctl(fd, KSC_IOC_VERSION, &big), E2BIG);
	big.v.size = KSC_VERSION_SIZE_VER0 - 8;
	expect("VERSION: shorter than the first version", ioctl(fd, KSC_IOC_VERSION, &big), EINVAL);
}

static void unknown_ioctl_cases(void)
{
	char buf[64] = { 0 };

	expect("ioctl: unknown number", ioctl(fd, _IO(KSC_IOC_MAGIC, 99), buf), ENOTTY);
	/* The number decides; the struct's own size field (0 here) is then too small. */
	expect("ioctl: LOAD's number with other size bits",
	       ioctl(fd, _IOWR(KSC_IOC_MAGIC, 1, char[7]), buf), EINVAL);
	expect("ioctl: another magic", ioctl(fd, _IOWR('T', 1, struct ksc_stats), buf), ENOTTY);
	expect("ioctl: FIONREAD", ioctl(fd, FIONREAD, buf), ENOTTY);
}

/* After all of that the state still loads and calls. */
static void still_works(void)
{
	struct ksc_value args[1] = { { .type = KSC_TYPE_INTEGER, .v.i = 7 } }, res[1];
	struct ksc_call_args a = call_args("echo", args, 1, res, 1);
	int ret = do_call(&a);

	expect("the state still works", ret, 0);
	if (!ret && (a.nresults != 1 || res[0].type != KSC_TYPE_INTEGER || res[0].v.i != 7)) {
		printf("  FAIL the state still works: wrong result\n");
		failures++;
	}
}

int main(void)
{
	struct ksc_load_args a = load_args(script);
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED || munmap(page, 4096)) {
		perror("mmap");
		return 2;
	}
	unmapped = ptr(page);
	fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0 || do_load(&a)) {
		perror(KSC_DEVICE_PATH);
		return 2;
	}
	struct_pointer_cases();
	size_cases();
	load_cases();
	call_cases();
	limits_cases();
	version_cases();
	unknown_ioctl_cases();
	still_works();
	close(fd);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
