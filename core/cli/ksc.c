// SPDX-License-Identifier: MIT
/*
 * ksc: run Lua in private kernel states (/dev/ksc) from the shell.
 *
 *   ksc [repl]            an interactive state
 *   ksc run ...           load a file, call a function of it
 *   ksc status            the module: loaded?, version, limits, states
 *   ksc --version, ksc help, ksc COMMAND --help
 *
 * This file dispatches and holds what the commands share (cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "values.h"

/* Room for the string results of one call. */
#define RESULT_BYTES (16u << 20)

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "repl", cmd_repl },
	{ "status", cmd_status },
};

static void usage(FILE *out)
{
	fputs("usage: ksc [COMMAND [ARG...]]\n"
	      "\n"
	      "Runs Lua in private states in the kernel (/dev/ksc, the ksc module).\n"
	      "\n"
	      "  ksc [repl]                  read Lua lines into one state, print results\n"
	      "  ksc run FILE.lua [FUNC ...]  load FILE, call FUNC with arguments\n"
	      "  ksc status                  whether the module is loaded, its version,\n"
	      "                              limits and open states\n"
	      "  ksc --version               this program's version\n"
	      "  ksc COMMAND --help          the options of COMMAND\n"
	      "\n"
	      "Exit status: 0, 1 on an error (printed as 'ksc: MESSAGE'), 2 on bad usage.\n"
	      "See ksc(1).\n",
	      out);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ksc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERROR;
}

bool cli_is_help(const char *word)
{
	return !strcmp(word, "--help") || !strcmp(word, "-h");
}

int cli_no_arguments(const char *cmd, int argc, char **argv, void (*usage)(FILE *out))
{
	if (argc == 1 && cli_is_help(argv[0])) {
		usage(stdout);
		return CLI_OK;
	}
	if (!argc)
		return -1;
	cli_fail("%s: takes no arguments", cmd);
	usage(stderr);
	return CLI_USAGE;
}

bool cli_parse_count(const char *opt, const char *word, unsigned long long *out)
{
	char *end;

	if (word && *word >= '0' && *word <= '9') {
		errno = 0;
		*out = strtoull(word, &end, 10);
		if (!errno && !*end && *out)
			return true;
	}
	cli_fail("%s needs a whole number above 0", opt);
	return false;
}

struct ksc *cli_open(void)
{
	char why[1024];
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit", .result_bytes = RESULT_BYTES,
		 .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc *ctx;

	if (ksc_open(&ctx, &opts)) {
		cli_fail("%s", why);
		return NULL;
	}
	return ctx;
}

bool cli_flush_output(struct ksc *ctx)
{
	size_t len, dropped;
	const char *text = ksc_output(ctx, &len, &dropped);

	fwrite(text, 1, len, stdout);
	fflush(stdout);
	if (dropped)
		cli_fail("%zu bytes of print() output dropped (the state's out_bytes limit)", dropped);
	return dropped == 0;
}

bool cli_print_results(const struct ksc_val *results, int n)
{
	bool whole = true;

	for (int i = 0; i < n; i++) {
		cli_print_value(stdout, &results[i]);
		if (results[i].flags & KSC_VAL_TRUNCATED) {
			cli_fail("result %d truncated to %zu bytes", i + 1, results[i].len);
			whole = false;
		}
	}
	fflush(stdout);
	return whole;
}

int main(int argc, char **argv)
{
	const char *cmd = argc >= 2 ? argv[1] : "repl";

	if (cli_is_help(cmd) || !strcmp(cmd, "help")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("ksc %s (libksc %d.%d, default backend %s)\n", KSC_CLI_VERSION,
		       KSC_VERSION_MAJOR, KSC_VERSION_MINOR, ksc_default_backend());
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc > 2 ? argc - 2 : 0, argv + 2);
	cli_fail("unknown command '%s'", cmd);
	usage(stderr);
	return CLI_USAGE;
}
