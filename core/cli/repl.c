// SPDX-License-Identifier: MIT
/*
 * ksc repl: Lua read from standard input, line by line, into one private
 * kernel state, as Lua's own interpreter does: an expression's values are
 * printed, a statement runs, input that is not yet a whole chunk waits for
 * more lines, an error is shown and the next line goes on in the same state.
 *
 * Each chunk becomes the body of a function, _ksc_repl, that is then
 * called, so its results come back as ksc run prints them: first as an
 * expression (return select(1, CHUNK): an argument list, not a tail call,
 * so an error keeps its position), else as statements. A chunk that is not
 * whole leaves the parser wanting more at the end of the text ('<eof>'),
 * the wrapper's own 'end' consumed. Globals persist, locals last one chunk,
 * as in Lua's REPL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli.h"

#define REPL_FUNC "_ksc_repl"
#define WRAP_HEAD REPL_FUNC " = function() "
#define WRAP_EXPR_HEAD "return select(1, "
#define WRAP_EXPR_TAIL "\n)"
#define WRAP_TAIL "\nend"

static void usage(FILE *out)
{
	fputs("usage: ksc [repl]\n"
	      "\n"
	      "Reads Lua from standard input into one private state in the kernel. An\n"
	      "expression's values are printed as 'ksc run' prints results; statements\n"
	      "run; an unfinished chunk continues on the next line (prompt '>>'); an\n"
	      "error is printed and the state goes on. Globals persist between lines;\n"
	      "the global " REPL_FUNC " is the REPL's own. End with end-of-file (Ctrl-D).\n"
	      "On a terminal, lines can be edited and earlier ones recalled (libedit).\n"
	      "\n"
	      "Exit status: 0 at end of input, 1 when no state can be opened, 2 on bad usage.\n",
	      out);
}

/* The parser stopped at the end of the text: more lines may complete it. */
static bool incomplete(const char *msg)
{
	static const char eof[] = "'<eof>'";
	size_t len = strlen(msg);

	return len >= sizeof(eof) - 1 && !strcmp(msg + len - (sizeof(eof) - 1), eof);
}

/* Call the wrapped chunk and print its values and what it printed. */
static void call_wrapped(struct ksc *ctx)
{
	struct ksc_val results[CLI_MAX_RESULTS];
	int n = ksc_call(ctx, REPL_FUNC, NULL, 0, results, CLI_MAX_RESULTS);

	cli_flush_output(ctx);
	if (n < 0)
		cli_fail("%s", ksc_errmsg(ctx));
	else
		cli_print_results(results, n);
}

/* Define the wrapper of chunk (as an expression or as statements): 0 or -errno. */
static int define(struct ksc *ctx, const char *chunk, bool expr)
{
	const char *head = expr ? WRAP_EXPR_HEAD : "", *tail = expr ? WRAP_EXPR_TAIL : "";
	size_t len = strlen(WRAP_HEAD) + strlen(head) + strlen(chunk) + strlen(tail) +
		     strlen(WRAP_TAIL);
	char *wrapped = malloc(len + 1);
	int err;

	if (!wrapped)
		return cli_fail("out of memory"), -ENOMEM;
	snprintf(wrapped, len + 1, WRAP_HEAD "%s%s%s" WRAP_TAIL, head, chunk, tail);
	err = ksc_load(ctx, wrapped, len, "=stdin");
	free(wrapped);
	return err;
}

/* Evaluate chunk; false when it needs more lines. */
static bool eval(struct ksc *ctx, const char *chunk)
{
	if (define(ctx, chunk, true) && define(ctx, chunk, false)) {
		if (incomplete(ksc_errmsg(ctx)))
			return false;
		cli_fail("%s", ksc_errmsg(ctx));
		return true;
	}
	call_wrapped(ctx);
	return true;
}

/* Append line to the chunk so far; false when out of memory. */
static bool append(char **chunk, size_t *len, const char *line, size_t n)
{
	char *bigger = realloc(*chunk, *len + n + 1);

	if (!bigger)
		return false;
	memcpy(bigger + *len, line, n + 1);
	*chunk = bigger;
	*len += n;
	return true;
}

/*
 * The next line with its newline, in *line (malloc'd, the caller frees):
 * edited on a terminal, else as read. Its length, or -1 at end of input.
 */
static ssize_t next_line(bool tty, bool more, char **line, size_t *cap)
{
	char *edited;
	size_t n;

	if (!tty)
		return getline(line, cap, stdin);
	edited = readline(more ? ">> " : "> ");
	if (!edited)
		return -1;
	if (*edited)
		add_history(edited);
	n = strlen(edited);
	free(*line);
	*line = realloc(edited, n + 2);
	if (!*line) {
		free(edited);
		*cap = 0;
		return -1;
	}
	memcpy(*line + n, "\n", 2);
	*cap = n + 2;
	return (ssize_t)n + 1;
}

static int repl(void)
{
	struct ksc *ctx = cli_open();
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL, *chunk = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	if (!ctx)
		return CLI_ERROR;
	for (;;) {
		n = next_line(tty, len > 0, &line, &cap);
		if (n < 0)
			break;
		if (!append(&chunk, &len, line, (size_t)n)) {
			cli_fail("out of memory: input dropped");
			len = 0;
			continue;
		}
		if (eval(ctx, chunk))
			len = 0;
	}
	if (len)
		eval(ctx, chunk);	/* says why the last chunk is not whole */
	if (tty)
		putchar('\n');
	free(line);
	free(chunk);
	ksc_close(ctx);
	return CLI_OK;
}

int cmd_repl(int argc, char **argv)
{
	int status = cli_no_arguments("repl", argc, argv, usage);

	return status < 0 ? repl() : status;
}
