// SPDX-License-Identifier: MIT
/*
 * The generic call path: key_hash, a BPF_PROG_TYPE_SYSCALL program run
 * through BPF_PROG_TEST_RUN, computes the same djb2 hash as this C reference
 * for strings of every length up to the limit; bad arguments and unknown
 * functions fail cleanly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_ebpf.h"
#include "ksc_ioctl.h"
#include "ksc_test.h"

static uint32_t djb2(const unsigned char *s, size_t len)
{
	uint32_t h = 5381;

	for (size_t i = 0; i < len; i++)
		h = h * 33 + s[i];
	return h;
}

static struct ksc_bpf_call_ctx string_call(const void *s, size_t len)
{
	struct ksc_bpf_call_ctx ctx = { .nargs = 1 };

	ctx.args[0].type = KSC_TYPE_STRING;
	ctx.args[0].len = len;
	memcpy(ctx.args[0].str, s, len);
	return ctx;
}

int main(void)
{
	unsigned char s[KSC_BPF_CALL_STR_MAX];
	struct ksc_ebpf_calls *calls;
	struct ksc_bpf_call_ctx ctx;
	int err = ksc_ebpf_calls_open(&calls);

	if (err) {
		fprintf(stderr, "ksc_ebpf_calls_open: %s\n", ksc_ebpf_strerror(err));
		return err == -EPERM ? KSC_TEST_SKIP : 1;	/* no CAP_BPF here */
	}
	srand(1);
	for (size_t len = 0; len <= sizeof(s); len++) {
		for (size_t i = 0; i < len; i++)
			s[i] = rand();
		ctx = string_call(s, len);
		err = ksc_ebpf_calls_run(calls, "key_hash", &ctx);
		CHECK(err == 0, "length %zu: %d", len, err);
		CHECK(ctx.result_type == KSC_TYPE_INTEGER && ctx.result == djb2(s, len),
		      "length %zu: %lld, want %u", len, (long long)ctx.result, djb2(s, len));
	}
	ctx = string_call("foo", 3);
	CHECK(ksc_ebpf_calls_run(calls, "key_hash", &ctx) == 0 && ctx.result == 193491849,
	      "key_hash(\"foo\") = %lld", (long long)ctx.result);

	ctx = string_call("x", 1);
	ctx.args[0].len = KSC_BPF_CALL_STR_MAX + 1;
	CHECK(ksc_ebpf_calls_run(calls, "key_hash", &ctx) == -EINVAL, "string too long");
	ctx = string_call("x", 1);
	ctx.args[0].type = KSC_TYPE_INTEGER;
	CHECK(ksc_ebpf_calls_run(calls, "key_hash", &ctx) == -EINVAL, "integer argument");
	CHECK(ctx.result_type == KSC_TYPE_NIL, "no result for a bad argument");
	ctx = string_call("x", 1);
	ctx.nargs = 2;
	CHECK(ksc_ebpf_calls_run(calls, "key_hash", &ctx) == -EINVAL, "two arguments");
	CHECK(ksc_ebpf_calls_run(calls, "no_such_function", &ctx) == -ENOENT, "unknown name");
	ksc_ebpf_calls_close(calls);
	return ksc_test_summary("calls");
}
