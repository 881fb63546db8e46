/* SPDX-License-Identifier: MIT */
/* What the ksc command's subcommands share (ksc.c). */
#ifndef KSC_CLI_H
#define KSC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ksc.h"

/* Exit statuses, as ksc(1) documents them. */
enum { CLI_OK = 0, CLI_ERROR = 1, CLI_USAGE = 2 };

/* "ksc: " + the message on stderr; returns CLI_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --help or -h. */
bool cli_is_help(const char *word);

/*
 * For a command that takes no arguments: its --help (CLI_OK) or a usage
 * error (CLI_USAGE), both printed; -1 when there are none and it may run.
 */
int cli_no_arguments(const char *cmd, int argc, char **argv, void (*usage)(FILE *out));

/* A whole number above 0; false (with a message) otherwise. */
bool cli_parse_count(const char *opt, const char *word, unsigned long long *out);

/* A luajit context with room for large results; NULL with the reason printed. */
struct ksc *cli_open(void);

/* Write what the code printed to stdout; false when some of it was lost. */
bool cli_flush_output(struct ksc *ctx);

/* Print n results as Lua's tostring does; false when one was truncated. */
bool cli_print_results(const struct ksc_val *results, int n);

/* Longest list of results a call returns. */
#define CLI_MAX_RESULTS 256

int cmd_run(int argc, char **argv);
int cmd_repl(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif /* KSC_CLI_H */
