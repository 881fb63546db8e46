/* SPDX-License-Identifier: MIT */
/* Command-line words to ksc values and ksc values to text, the way Lua's tostring writes them. */
#ifndef KSC_CLI_VALUES_H
#define KSC_CLI_VALUES_H

#include <stdio.h>

#include "ksc.h"

/* An argument word: an integer or a number when it reads as one (as Lua's tonumber does), else the string itself. */
struct ksc_val cli_parse_arg(const char *word);

/* Write a Lua number as tostring() does (%.14g, "nan", "inf", "-inf") into buf; returns buf. */
const char *cli_format_number(double n, char *buf, size_t len);

/* Print a result on its own line. */
void cli_print_value(FILE *out, const struct ksc_val *val);

#endif /* KSC_CLI_VALUES_H */
