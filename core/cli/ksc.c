// SPDX-License-Identifier: MIT
/*
 * ksc: run a Lua file in a private kernel state.
 *
 *   ksc run [--mem-limit B] [--time-limit MS] [--stats] [--no-jit] FILE.lua|- [FUNC [ARG...]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksc.h"
#include "values.h"

/* Results one call may return, and the room their strings share. */
#define MAX_RESULTS 256
#define RESULT_BYTES (16u << 20)

struct run_opts {
	unsigned long long mem_limit;
	unsigned long long time_limit_ms;
	bool stats;
	bool no_jit;
	const char *file;
	const char *func;
	char **args;
	int nargs;
};

static void usage(FILE *out)
{
	fputs("usage: ksc run [--mem-limit BYTES] [--time-limit MS] [--stats] [--no-jit] FILE.lua|- [FUNC [ARG...]]\n"
	      "\n"
	      "Loads FILE (- for standard input) into a private Lua state in the kernel\n"
	      "(/dev/ksc), runs it, then calls FUNC with the ARGs if given (words that\n"
	      "read as integers or numbers are passed as such, the rest as strings) and\n"
	      "prints each result on its own line as Lua's tostring does. What the\n"
	      "script prints goes to standard output.\n"
	      "\n"
	      "  --mem-limit BYTES  lower the state's memory limit\n"
	      "  --time-limit MS    lower the run time limit of the load and of the call\n"
	      "  --stats            print the state's counters to standard error at the end\n"
	      "  --no-jit           run in the interpreter only\n"
	      "\n"
	      "Exit status: 0, 1 on an error (printed as 'ksc: MESSAGE'), 2 on bad usage.\n",
	      out);
}

static int fail(const char *fmt, const char *what)
{
	fprintf(stderr, "ksc: ");
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return 1;
}

static bool parse_count(const char *word, unsigned long long *out)
{
	char *end;

	if (!word || *word < '0' || *word > '9')
		return false;
	errno = 0;
	*out = strtoull(word, &end, 10);
	return !errno && !*end;
}

/* Parse argv after "run"; returns false on bad usage (explained on stderr). */
static bool parse_run(int argc, char **argv, struct run_opts *o)
{
	int i;

	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *opt = argv[i];
		unsigned long long *num = NULL;

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if (!strcmp(opt, "--stats"))
			o->stats = true;
		else if (!strcmp(opt, "--no-jit"))
			o->no_jit = true;
		else if (!strcmp(opt, "--mem-limit"))
			num = &o->mem_limit;
		else if (!strcmp(opt, "--time-limit"))
			num = &o->time_limit_ms;
		else
			return fail("unknown option %s", opt), false;
		if (num && !parse_count(argv[++i], num))
			return fail("%s needs a whole number", opt), false;
		if (num && !*num)
			return fail("%s must be above 0", opt), false;
	}
	if (i == argc)
		return fail("%s", "no FILE.lua given"), false;
	o->file = argv[i++];
	o->func = i < argc ? argv[i++] : NULL;
	o->args = argv + i;
	o->nargs = argc - i;
	return true;
}

static int apply_limits(struct ksc *ctx, const struct run_opts *o)
{
	KSC_OPTS(ksc_state_limits, lim, .mem_bytes = o->mem_limit);

	if (!o->mem_limit && !o->time_limit_ms && !o->no_jit)
		return 0;
	if (o->time_limit_ms > UINT64_MAX / 1000000)
		return -ERANGE;
	lim.call_time_ns = o->time_limit_ms * 1000000;
	lim.flags = o->no_jit ? KSC_LIMITS_NO_JIT : 0;
	return ksc_set_limits(ctx, &lim);
}

/* Write what the script printed to stdout; false when some of it was lost. */
static bool flush_output(struct ksc *ctx)
{
	size_t len, dropped;
	const char *text = ksc_output(ctx, &len, &dropped);

	fwrite(text, 1, len, stdout);
	fflush(stdout);
	if (dropped)
		fprintf(stderr, "ksc: %zu bytes of print() output dropped (the state's out_bytes limit)\n",
			dropped);
	return dropped == 0;
}

/* All of standard input in a new buffer, or NULL. */
static char *read_stdin(size_t *len)
{
	size_t cap = 1 << 16;
	char *code = malloc(cap), *bigger;

	*len = 0;
	while (code && !feof(stdin) && !ferror(stdin)) {
		if (*len == cap) {
			cap *= 2;
			bigger = realloc(code, cap);
			if (!bigger)
				break;
			code = bigger;
		}
		*len += fread(code + *len, 1, cap - *len, stdin);
	}
	if (code && feof(stdin))
		return code;
	free(code);
	return NULL;
}

/* Load FILE or standard input; returns 0 or 1 with the error printed. */
static int load(struct ksc *ctx, const char *file)
{
	size_t len;
	char *code;
	int ret;

	if (strcmp(file, "-")) {
		ret = ksc_load_file(ctx, file);
	} else {
		code = read_stdin(&len);
		if (!code)
			return fail("%s", "cannot read standard input");
		ret = ksc_load(ctx, code, len, "=stdin");
		free(code);
	}
	if (!flush_output(ctx))
		ret = ret ? ret : -ENOBUFS;
	if (ret && ret != -ENOBUFS)
		fail("%s", ksc_errmsg(ctx));
	return ret ? 1 : 0;
}

static int call(struct ksc *ctx, const struct run_opts *o)
{
	struct ksc_val *args = calloc(o->nargs ? o->nargs : 1, sizeof(*args));
	struct ksc_val *results = calloc(MAX_RESULTS, sizeof(*results));
	int n, status = 0;

	if (!args || !results) {
		free(args);
		free(results);
		return fail("%s", "out of memory");
	}
	for (int i = 0; i < o->nargs; i++)
		args[i] = cli_parse_arg(o->args[i]);
	n = ksc_call(ctx, o->func, args, (unsigned int)o->nargs, results, MAX_RESULTS);
	if (!flush_output(ctx))
		status = 1;
	if (n < 0)
		status = fail("%s", ksc_errmsg(ctx));
	for (int i = 0; i < n; i++) {
		cli_print_value(stdout, &results[i]);
		if (results[i].flags & KSC_VAL_TRUNCATED) {
			fflush(stdout);
			fprintf(stderr, "ksc: result %d truncated to %zu bytes\n", i + 1,
				results[i].len);
			status = 1;
		}
	}
	free(args);
	free(results);
	return status;
}

static void print_stats(struct ksc *ctx)
{
	KSC_OPTS(ksc_state_stats, st);

	if (ksc_get_stats(ctx, &st)) {
		fail("%s", ksc_errmsg(ctx));
		return;
	}
	fprintf(stderr,
		"stats: mem_in_use=%llu mem_peak=%llu loads=%llu calls=%llu errors=%llu run_time_ns=%llu max_nopreempt_ns=%llu\n",
		(unsigned long long)st.mem_in_use, (unsigned long long)st.mem_peak,
		(unsigned long long)st.loads, (unsigned long long)st.calls,
		(unsigned long long)st.errors, (unsigned long long)st.run_time_ns,
		(unsigned long long)st.max_nopreempt_ns);
}

static int run(const struct run_opts *o)
{
	char why[1024];
	KSC_OPTS(ksc_open_opts, open_opts, .backend = "luajit", .result_bytes = RESULT_BYTES,
		 .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;
	int status;

	if (ksc_open(&ctx, &open_opts))
		return fail("%s", why);
	if (apply_limits(ctx, o)) {
		status = fail("%s", ksc_errmsg(ctx));
		goto out;
	}
	status = load(ctx, o->file);
	if (!status && o->func)
		status = call(ctx, o);
	if (o->stats)
		print_stats(ctx);
out:
	ksc_close(ctx);
	return status;
}

int main(int argc, char **argv)
{
	struct run_opts o = { 0 };

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "run")) {
		usage(stderr);
		return 2;
	}
	if (!parse_run(argc - 2, argv + 2, &o)) {
		usage(stderr);
		return 2;
	}
	return run(&o);
}
