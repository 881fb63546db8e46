// SPDX-License-Identifier: MIT
/*
 * ksc run: load a Lua file into a private kernel state, call one of its
 * functions with arguments (words, user buffers, UDP sockets), print what
 * it returns.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "values.h"

/* Buffers and sockets one call may be given. */
#define MAX_PASSED 16
/* Largest --buf: the module copies in and out of it in place. */
#define BUF_MAX (64ULL << 20)

/* A --buf or --udp: an argument made before the words. */
struct passed {
	bool is_udp;
	unsigned long long size;	/* --buf */
	const char *where;		/* --udp HOST:PORT */
	struct ksc_val val;
};

struct run_opts {
	unsigned long long mem_limit;
	unsigned long long time_limit_ms;
	bool stats;
	bool no_jit;
	struct passed passed[MAX_PASSED];
	int npassed;
	const char *file;
	const char *func;
	char **args;
	int nargs;
};

static void usage(FILE *out)
{
	fputs("usage: ksc run [OPTIONS] FILE.lua|- [FUNC [ARG...]]\n"
	      "\n"
	      "Loads FILE (- for standard input) into a private Lua state in the kernel\n"
	      "(/dev/ksc), runs it, then calls FUNC with the arguments if given and prints\n"
	      "each result on its own line as Lua's tostring does. The arguments are the\n"
	      "--buf and --udp ones, in their order, then the ARGs (words that read as\n"
	      "integers or numbers are passed as such, the rest as strings). What the\n"
	      "script prints goes to standard output.\n"
	      "\n"
	      "  --buf SIZE          pass a zeroed user buffer of SIZE bytes (a ksc.buf);\n"
	      "                      its contents are printed after the results, as\n"
	      "                      'buf N: TEXT' up to its last non-zero byte, other\n"
	      "                      bytes than printable ASCII as \\ddd\n"
	      "  --udp HOST:PORT     pass a UDP socket bound to HOST:PORT (a ksc.fd;\n"
	      "                      PORT 0: any free port, printed on standard error)\n"
	      "  --mem-limit BYTES   lower the state's memory limit\n"
	      "  --time-limit MS     lower the run time limit of the load and of the call\n"
	      "  --stats             print the state's counters to standard error at the end\n"
	      "                      ('stats:' and 'jit:' lines: traces=, aborts=, mcode_bytes=)\n"
	      "  --no-jit            turn the JIT compiler off: run in the interpreter only\n"
	      "\n"
	      "Exit status: 0, 1 on an error (printed as 'ksc: MESSAGE'), 2 on bad usage.\n",
	      out);
}

/* A --buf or --udp option and its value; false on bad usage. */
static bool parse_passed(struct run_opts *o, const char *opt, const char *value)
{
	struct passed *p = &o->passed[o->npassed];

	if (o->npassed == MAX_PASSED)
		return cli_fail("at most %d --buf and --udp", MAX_PASSED), false;
	if (!value)
		return cli_fail("%s needs a value", opt), false;
	p->is_udp = !strcmp(opt, "--udp");
	p->where = value;
	if (!p->is_udp && !cli_parse_count(opt, value, &p->size))
		return false;
	if (!p->is_udp && p->size > BUF_MAX)
		return cli_fail("--buf: at most %llu bytes", BUF_MAX), false;
	o->npassed++;
	return true;
}

/* Parse argv after "run"; returns false on bad usage (explained on stderr). */
static bool parse_run(int argc, char **argv, struct run_opts *o)
{
	int i;

	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if (!strcmp(opt, "--stats"))
			o->stats = true;
		else if (!strcmp(opt, "--no-jit"))
			o->no_jit = true;
		else if (!strcmp(opt, "--mem-limit")) {
			if (!cli_parse_count(opt, argv[++i], &o->mem_limit))
				return false;
		} else if (!strcmp(opt, "--time-limit")) {
			if (!cli_parse_count(opt, argv[++i], &o->time_limit_ms))
				return false;
		} else if (!strcmp(opt, "--buf") || !strcmp(opt, "--udp")) {
			if (!parse_passed(o, opt, argv[++i]))
				return false;
		} else {
			return cli_fail("run: unknown option %s", opt), false;
		}
	}
	if (i == argc)
		return cli_fail("run: no FILE.lua given"), false;
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
			return cli_fail("cannot read standard input");
		ret = ksc_load(ctx, code, len, "=stdin");
		free(code);
	}
	if (!cli_flush_output(ctx))
		ret = ret ? ret : -ENOBUFS;
	if (ret && ret != -ENOBUFS)
		cli_fail("%s", ksc_errmsg(ctx));
	return ret ? CLI_ERROR : CLI_OK;
}

/* A UDP socket bound to HOST:PORT (the last colon splits), or -1 with the reason printed. */
static int open_udp(const char *where)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV };
	const char *colon = strrchr(where, ':');
	struct addrinfo *ai;
	char host[256], port[16];
	struct sockaddr_storage got;
	socklen_t gotlen = sizeof(got);
	int fd, rc;

	const char *name = where;
	size_t namelen = colon ? (size_t)(colon - where) : 0;

	if (namelen > 2 && name[0] == '[' && colon[-1] == ']') {	/* [::1]:53 */
		name++;
		namelen -= 2;
	}
	if (!namelen || namelen >= sizeof(host))
		return cli_fail("--udp %s: not HOST:PORT", where), -1;
	snprintf(host, sizeof(host), "%.*s", (int)namelen, name);
	rc = getaddrinfo(host, colon + 1, &hints, &ai);
	if (rc)
		return cli_fail("--udp %s: %s", where, gai_strerror(rc)), -1;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) ||
	    getsockname(fd, (struct sockaddr *)&got, &gotlen)) {
		cli_fail("--udp %s: %s", where, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else if (getnameinfo((struct sockaddr *)&got, gotlen, host, sizeof(host), port,
			       sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
		fprintf(stderr, "ksc: udp socket %d bound to %s port %s\n", fd, host, port);
	}
	freeaddrinfo(ai);
	return fd;
}

/* Make the --buf and --udp arguments; false with the reason printed. */
static bool make_passed(struct run_opts *o)
{
	for (int i = 0; i < o->npassed; i++) {
		struct passed *p = &o->passed[i];
		void *buf;
		int fd;

		if (p->is_udp) {
			fd = open_udp(p->where);
			if (fd < 0)
				return false;
			p->val = ksc_fd(fd);
			continue;
		}
		buf = calloc(1, p->size ? p->size : 1);
		if (!buf)
			return cli_fail("--buf %llu: out of memory", p->size), false;
		p->val = ksc_ubuf(buf, p->size);
	}
	return true;
}

static void free_passed(struct run_opts *o)
{
	for (int i = 0; i < o->npassed; i++) {
		struct passed *p = &o->passed[i];

		if (p->val.type == KSC_VAL_FD)
			close(p->val.v.fd);
		else if (p->val.type == KSC_VAL_UBUF)
			free(p->val.v.buf);
	}
}

/* 'buf N: TEXT', up to the last non-zero byte, escaped as Lua's %q would. */
static void print_buffers(const struct run_opts *o)
{
	int n = 0;

	for (int i = 0; i < o->npassed; i++) {
		const struct ksc_val *v = &o->passed[i].val;
		const unsigned char *b = v->v.buf;
		size_t len = v->len;

		if (v->type != KSC_VAL_UBUF)
			continue;
		while (len && !b[len - 1])
			len--;
		printf("buf %d: ", ++n);
		for (size_t j = 0; j < len; j++) {
			if (b[j] >= 0x20 && b[j] < 0x7f && b[j] != '\\')
				putchar(b[j]);
			else
				printf("\\%u", b[j]);
		}
		putchar('\n');
	}
}

static int call(struct ksc *ctx, const struct run_opts *o)
{
	unsigned int nargs = (unsigned int)(o->npassed + o->nargs);
	struct ksc_val *args = calloc(nargs ? nargs : 1, sizeof(*args));
	struct ksc_val *results = calloc(CLI_MAX_RESULTS, sizeof(*results));
	int n, status = CLI_OK;

	if (!args || !results) {
		free(args);
		free(results);
		return cli_fail("out of memory");
	}
	for (int i = 0; i < o->npassed; i++)
		args[i] = o->passed[i].val;
	for (int i = 0; i < o->nargs; i++)
		args[o->npassed + i] = cli_parse_arg(o->args[i]);
	n = ksc_call(ctx, o->func, args, nargs, results, CLI_MAX_RESULTS);
	if (!cli_flush_output(ctx))
		status = CLI_ERROR;
	if (n < 0)
		status = cli_fail("%s", ksc_errmsg(ctx));
	if (n > 0 && !cli_print_results(results, n))
		status = CLI_ERROR;
	print_buffers(o);
	free(args);
	free(results);
	return status;
}

static void print_stats(struct ksc *ctx)
{
	KSC_OPTS(ksc_state_stats, st);

	if (ksc_get_stats(ctx, &st)) {
		cli_fail("%s", ksc_errmsg(ctx));
		return;
	}
	fprintf(stderr,
		"stats: mem_in_use=%llu mem_peak=%llu loads=%llu calls=%llu errors=%llu run_time_ns=%llu max_nopreempt_ns=%llu\n",
		(unsigned long long)st.mem_in_use, (unsigned long long)st.mem_peak,
		(unsigned long long)st.loads, (unsigned long long)st.calls,
		(unsigned long long)st.errors, (unsigned long long)st.run_time_ns,
		(unsigned long long)st.max_nopreempt_ns);
	fprintf(stderr, "jit: traces=%llu aborts=%llu mcode_bytes=%llu",
		(unsigned long long)st.jit_traces, (unsigned long long)st.jit_aborts,
		(unsigned long long)st.jit_mcode_bytes);
	for (size_t i = 0; i < 3 && st.jit_abort_count[i]; i++)
		fprintf(stderr, "%s%u:%u", i ? "," : " abort_reasons=", st.jit_abort_why[i],
			st.jit_abort_count[i]);
	fputc('\n', stderr);
}

static int run(struct run_opts *o)
{
	struct ksc *ctx = cli_open();
	int status;

	if (!ctx)
		return CLI_ERROR;
	if (apply_limits(ctx, o)) {
		status = cli_fail("%s", ksc_errmsg(ctx));
		goto out;
	}
	status = load(ctx, o->file);
	if (status == CLI_OK && o->func)
		status = make_passed(o) ? call(ctx, o) : CLI_ERROR;
	if (o->stats)
		print_stats(ctx);
	free_passed(o);
out:
	ksc_close(ctx);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };

	if (argc == 1 && cli_is_help(argv[0])) {
		usage(stdout);
		return CLI_OK;
	}
	if (!parse_run(argc, argv, &o)) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (o.npassed && !o.func) {
		cli_fail("run: --buf and --udp are arguments of FUNC: name one");
		usage(stderr);
		return CLI_USAGE;
	}
	return run(&o);
}
