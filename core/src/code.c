// SPDX-License-Identifier: MIT
/* The generic layer: load and call code, limits, statistics, the module's version. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksc_backend.h"

/* Larger files are no script: the kernel refuses far smaller ones. */
#define KSC_LOAD_FILE_MAX (64u << 20)

static void forget_output(struct ksc *ctx)
{
	ctx->errmsg[0] = '\0';
	ctx->out_len = 0;
	ctx->out_dropped = 0;
	if (ctx->out)
		ctx->out[0] = '\0';
}

int ksc_load(struct ksc *ctx, const char *code, size_t len, const char *name)
{
	forget_output(ctx);
	if (!ctx->ops->load)
		return ksc_unsupported(ctx, "load code (it runs none)");
	if (!code && len)
		return ksc_fail(ctx, -EINVAL, "no code");
	ctx->crossings++;
	return ctx->ops->load(ctx, code, len, name);
}

/* Read all of fd into a new buffer (*buf, *len). */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *data = malloc(cap), *bigger;
	ssize_t n;

	if (!data)
		return -ENOMEM;
	for (;;) {
		if (used == cap) {
			if (cap >= KSC_LOAD_FILE_MAX) {
				free(data);
				return -EFBIG;
			}
			cap *= 2;
			bigger = realloc(data, cap);
			if (!bigger) {
				free(data);
				return -ENOMEM;
			}
			data = bigger;
		}
		n = read(fd, data + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return -errno;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	*buf = data;
	*len = used;
	return 0;
}

int ksc_load_file(struct ksc *ctx, const char *path)
{
	size_t len = 0, namelen = strlen(path) + 2;
	char *code = NULL, *name;
	int fd, err;

	forget_output(ctx);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ksc_fail(ctx, -errno, "cannot open %s: %s", path, strerror(errno));
	err = read_all(fd, &code, &len);
	close(fd);
	if (err)
		return ksc_fail(ctx, err, "cannot read %s: %s", path, strerror(-err));
	name = malloc(namelen);
	if (!name) {
		free(code);
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	}
	name[0] = '@';
	memcpy(name + 1, path, namelen - 1);
	err = ksc_load(ctx, code, len, name);
	free(name);
	free(code);
	return err;
}

int ksc_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
	     unsigned int nargs, struct ksc_val *results, unsigned int maxresults)
{
	forget_output(ctx);
	if (!ctx->ops->call)
		return ksc_unsupported(ctx, "call code (it runs none)");
	if (!func || (nargs && !args) || (maxresults && !results))
		return ksc_fail(ctx, -EINVAL, "ksc_call: NULL function name, arguments or results");
	ctx->crossings++;
	return ctx->ops->call(ctx, func, args, nargs, results, maxresults);
}

const char *ksc_output(const struct ksc *ctx, size_t *len, size_t *dropped)
{
	if (len)
		*len = ctx->out_len;
	if (dropped)
		*dropped = ctx->out_dropped;
	return ctx->out ? ctx->out : "";
}

static int limits(struct ksc *ctx, struct ksc_state_limits *user, bool set)
{
	struct ksc_state_limits lim;
	int err;

	ctx->errmsg[0] = '\0';
	if (!user)
		return ksc_fail(ctx, -EINVAL, "no limits struct");
	err = ksc_opts_copy(&lim, sizeof(lim), user);
	if (err || lim.unused)
		return ksc_fail(ctx, err ? err : -EINVAL,
				"struct ksc_state_limits: bad size or unknown fields");
	if (!ctx->ops->limits)
		return ksc_unsupported(ctx, "limit code (it runs none)");
	err = ctx->ops->limits(ctx, &lim, set);
	if (!err)
		ksc_opts_copy_out(user, &lim, sizeof(lim));
	return err;
}

int ksc_set_limits(struct ksc *ctx, struct ksc_state_limits *lim)
{
	return limits(ctx, lim, true);
}

int ksc_get_limits(struct ksc *ctx, struct ksc_state_limits *lim)
{
	return limits(ctx, lim, false);
}

int ksc_get_stats(struct ksc *ctx, struct ksc_state_stats *user)
{
	struct ksc_state_stats stats = { .sz = sizeof(stats) };
	int err = ksc_out_struct_ok(ctx, user, "ksc_state_stats");

	if (!err && ctx->ops->stats)
		err = ctx->ops->stats(ctx, &stats);
	if (err)
		return err;
	stats.crossings = ctx->crossings;
	ksc_opts_copy_out(user, &stats, sizeof(stats));
	return 0;
}

int ksc_get_module_version(struct ksc *ctx, struct ksc_module_version *user)
{
	struct ksc_module_version version = { .sz = sizeof(version) };
	int err = ksc_out_struct_ok(ctx, user, "ksc_module_version");

	if (err)
		return err;
	if (!ctx->ops->module_version)
		return ksc_unsupported(ctx, "report a kernel module (it uses none)");
	ctx->ops->module_version(ctx, &version);
	ksc_opts_copy_out(user, &version, sizeof(version));
	return 0;
}
