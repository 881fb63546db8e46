// SPDX-License-Identifier: MIT
/*
 * ksc-bpf-call: call a BPF function through libksc's ebpf backend, the way
 * 'ksc run' calls a Lua function through the luajit backend.
 *
 *   ksc-bpf-call [-o OBJECT.bpf.o]... FUNC [ARG...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksc.h"
#include "ksc_bpf_cache.h"
#include "values.h"

#define MAX_RESULTS 8

static void usage(FILE *out)
{
	fputs("usage: ksc-bpf-call [-o OBJECT.bpf.o]... FUNC [ARG...]\n"
	      "\n"
	      "Loads each OBJECT (BPF programs, all SEC(\"syscall\") functions taking a\n"
	      "struct ksc_bpf_call_ctx), then calls FUNC, one of them or a built-in\n"
	      "(key_hash), with the ARGs (words that read as integers are passed as\n"
	      "such, the rest as strings) and prints each result on its own line.\n"
	      "Needs CAP_BPF (root); see docs/ebpf.md.\n"
	      "\n"
	      "Exit status: 0, 1 on an error (printed as 'ksc-bpf-call: MESSAGE'), 2 on bad usage.\n",
	      out);
}

static int call(struct ksc *ctx, const char *func, char **words, int nwords)
{
	struct ksc_val args[KSC_BPF_CALL_MAX_ARGS], results[MAX_RESULTS];
	int n;

	if (nwords > KSC_BPF_CALL_MAX_ARGS) {
		fprintf(stderr, "ksc-bpf-call: at most %d arguments\n", KSC_BPF_CALL_MAX_ARGS);
		return 2;
	}
	for (int i = 0; i < nwords; i++)
		args[i] = cli_parse_arg(words[i]);
	n = ksc_call(ctx, func, args, nwords, results, MAX_RESULTS);
	if (n < 0) {
		fprintf(stderr, "ksc-bpf-call: %s\n", ksc_errmsg(ctx));
		return 1;
	}
	for (int i = 0; i < n; i++)
		cli_print_value(stdout, &results[i]);
	return 0;
}

/* Loads the objects in the order given. */
static int load_objects(struct ksc *ctx, char **objects, int nobjects)
{
	for (int i = 0; i < nobjects; i++) {
		if (ksc_load_file(ctx, objects[i])) {
			fprintf(stderr, "ksc-bpf-call: %s: %s\n", objects[i], ksc_errmsg(ctx));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char why[512] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = "ebpf", .errbuf = why, .errbuf_len = sizeof(why));
	char **objects = calloc(argc, sizeof(*objects));
	int opt, nobjects = 0, status = 2;
	struct ksc *ctx;

	if (!objects)
		return 1;
	while ((opt = getopt(argc, argv, "+o:h")) != -1) {
		if (opt == 'o') {
			objects[nobjects++] = optarg;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			free(objects);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
	} else if (ksc_open(&ctx, &opts)) {
		fprintf(stderr, "ksc-bpf-call: %s\n", why);
		status = 1;
	} else {
		status = load_objects(ctx, objects, nobjects);
		if (!status)
			status = call(ctx, argv[optind], argv + optind + 1, argc - optind - 1);
		ksc_close(ctx);
	}
	free(objects);
	return status;
}
