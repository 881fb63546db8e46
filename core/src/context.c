// SPDX-License-Identifier: MIT
/* Contexts: choosing a backend, opening, closing, messages, options structs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_backend.h"

#define KSC_RESULT_BYTES_DEFAULT (64 * 1024)
#define KSC_OPEN_FLAGS (KSC_OPEN_FALLBACK | KSC_OPEN_SHAREABLE)

/*
 * ksc.h's structs have no padding, so KSC_OPTS leaves no byte undefined: a
 * new field that opens a hole fails here (fill it with a field, "unused").
 */
#define FIELD(T, f) sizeof(((struct T *)0)->f)
_Static_assert(sizeof(struct ksc_open_opts) ==
	       FIELD(ksc_open_opts, sz) + FIELD(ksc_open_opts, backend) +
	       FIELD(ksc_open_opts, flags) + FIELD(ksc_open_opts, unused) +
	       FIELD(ksc_open_opts, device) + FIELD(ksc_open_opts, result_bytes) +
	       FIELD(ksc_open_opts, errbuf) + FIELD(ksc_open_opts, errbuf_len) +
	       FIELD(ksc_open_opts, udp_script), "struct ksc_open_opts has padding");
_Static_assert(sizeof(struct ksc_state_limits) ==
	       FIELD(ksc_state_limits, sz) + FIELD(ksc_state_limits, flags) +
	       FIELD(ksc_state_limits, unused) + 4 * sizeof(uint64_t),
	       "struct ksc_state_limits has padding");
_Static_assert(sizeof(struct ksc_state_stats) ==
	       sizeof(size_t) + 11 * sizeof(uint64_t) + FIELD(ksc_state_stats, jit_abort_why) +
	       FIELD(ksc_state_stats, jit_abort_count),
	       "struct ksc_state_stats has padding");
_Static_assert(sizeof(struct ksc_module_version) ==
	       sizeof(size_t) + 2 * sizeof(uint32_t) + 5 * sizeof(uint64_t) + 4 * sizeof(uint32_t),
	       "struct ksc_module_version has padding");

/* Every backend name ksc knows, compiled in or not, for messages. */
static const char *const known_backends[] = { "luajit", "ebpf", "syscall", "mmsg", "uring" };

static const struct ksc_backend_ops *const compiled_backends[] = {
	&ksc_backend_luajit,
#ifdef KSC_HAVE_EBPF
	&ksc_backend_ebpf,
#endif
	&ksc_backend_syscall,
	&ksc_backend_mmsg,
#ifdef KSC_HAVE_URING
	&ksc_backend_uring,
#endif
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct ksc_backend_ops *find_backend(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(compiled_backends); i++)
		if (!strcmp(compiled_backends[i]->name, name))
			return compiled_backends[i];
	return NULL;
}

static bool is_known_backend(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_backends); i++)
		if (!strcmp(known_backends[i], name))
			return true;
	return false;
}

const char *ksc_default_backend(void)
{
	return KSC_DEFAULT_BACKEND;
}

int ksc_backend_compiled(const char *name)
{
	return name && find_backend(name) != NULL;
}

const char *ksc_backend(const struct ksc *ctx)
{
	return ctx->ops->name;
}

const char *ksc_errmsg(const struct ksc *ctx)
{
	return ctx->errmsg;
}

int ksc_fail(struct ksc *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/* Before filling an output struct: no message yet, and a struct that says its size. */
int ksc_out_struct_ok(struct ksc *ctx, const void *user, const char *type)
{
	size_t sz = 0;

	ctx->errmsg[0] = '\0';
	if (user)
		memcpy(&sz, user, sizeof(sz));
	if (sz < sizeof(size_t))
		return ksc_fail(ctx, -EINVAL, "struct %s: NULL or bad size", type);
	return 0;
}

int ksc_unsupported(struct ksc *ctx, const char *what)
{
	return ksc_fail(ctx, -EOPNOTSUPP, "the %s backend cannot %s", ctx->ops->name, what);
}

int ksc_opts_copy(void *dst, size_t dst_size, const void *src)
{
	size_t src_size;

	memset(dst, 0, dst_size);
	if (!src)
		return 0;
	memcpy(&src_size, src, sizeof(src_size));
	if (src_size < sizeof(size_t))
		return -EINVAL;
	for (size_t i = dst_size; i < src_size; i++)
		if (((const unsigned char *)src)[i])
			return -E2BIG;
	memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
	*(size_t *)dst = dst_size;
	return 0;
}

void ksc_opts_copy_out(void *dst, const void *src, size_t src_size)
{
	size_t dst_size;

	memcpy(&dst_size, dst, sizeof(dst_size));
	memcpy(dst, src, dst_size < src_size ? dst_size : src_size);
	memcpy(dst, &dst_size, sizeof(dst_size));
}

static void compiled_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(compiled_backends) && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 compiled_backends[i]->name);
}

/* The backend ops for name, or NULL with ctx's message saying why. */
static const struct ksc_backend_ops *select_backend(struct ksc *ctx, const char *name,
						    const char *source, int *err)
{
	const struct ksc_backend_ops *ops = find_backend(name);
	char list[64];

	if (ops)
		return ops;
	compiled_list(list, sizeof(list));
	if (is_known_backend(name)) {
		*err = ksc_fail(ctx, -EOPNOTSUPP,
				"backend '%s' (%s) is not compiled into this libksc (it has: %s)",
				name, source, list);
	} else {
		*err = ksc_fail(ctx, -EINVAL, "unknown backend '%s' (%s); this libksc has: %s",
				name, source, list);
	}
	return NULL;
}

static int open_backend(struct ksc *ctx, const struct ksc_backend_ops *ops,
			const struct ksc_open_opts *opts)
{
	ctx->ops = ops;
	ctx->errmsg[0] = '\0';
	return ops->open(ctx, opts);
}

static void report_open_error(const struct ksc_open_opts *opts, const char *msg)
{
	if (opts->errbuf && opts->errbuf_len)
		snprintf(opts->errbuf, opts->errbuf_len, "%s", msg);
}

int ksc_open(struct ksc **ctxp, const struct ksc_open_opts *user_opts)
{
	const struct ksc_backend_ops *ops;
	struct ksc_open_opts opts;
	const char *name, *source;
	struct ksc *ctx;
	char why[KSC_ERRMSG_MAX];
	int err;

	*ctxp = NULL;
	err = ksc_opts_copy(&opts, sizeof(opts), user_opts);
	if (err)
		return err;
	if ((opts.flags & ~KSC_OPEN_FLAGS) || opts.unused) {
		report_open_error(&opts, "struct ksc_open_opts: unknown flags or unused field set");
		return -EINVAL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		report_open_error(&opts, "out of memory");
		return -ENOMEM;
	}
	ctx->result_bytes = opts.result_bytes ? opts.result_bytes : KSC_RESULT_BYTES_DEFAULT;

	name = opts.backend;
	source = "asked for by the application";
	if (!name && getenv("KSC_BACKEND") && *getenv("KSC_BACKEND")) {
		name = getenv("KSC_BACKEND");
		source = "KSC_BACKEND";
	}
	if (!name) {
		name = KSC_DEFAULT_BACKEND;
		source = "the build's default";
	}
	ops = select_backend(ctx, name, source, &err);
	if (ops)
		err = open_backend(ctx, ops, &opts);
	if (err && (opts.flags & KSC_OPEN_FALLBACK) && ops != &ksc_backend_syscall) {
		/* Keep why the chosen backend failed: ksc_errmsg() reports it. */
		snprintf(why, sizeof(why), "%s", ctx->errmsg);
		err = open_backend(ctx, &ksc_backend_syscall, &opts);
		if (!err)
			snprintf(ctx->errmsg, sizeof(ctx->errmsg),
				 "fell back to syscall: %.990s", why);
	}
	if (err) {
		report_open_error(&opts, ctx->errmsg);
		free(ctx);
		return err;
	}
	*ctxp = ctx;
	return 0;
}

void ksc_close(struct ksc *ctx)
{
	if (!ctx)
		return;
	if (ctx->ops->close)
		ctx->ops->close(ctx);
	free(ctx->out);
	free(ctx);
}
