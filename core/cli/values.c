// SPDX-License-Identifier: MIT
/* Command-line words to ksc values and ksc values to text. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

/* strtod() also reads "nan", "inf" and "infinity", which Lua's tonumber() does not; no number has an n or an i. */
static bool names_nan_or_inf(const char *word)
{
	return strpbrk(word, "nNiI") != NULL;
}

static bool parse_integer(const char *word, int64_t *out)
{
	const char *digits = word + (*word == '-' || *word == '+');
	int base = (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) ? 16 : 10;
	char *end;
	long long v;

	if (!*digits || isspace((unsigned char)*digits) || *digits == '-' || *digits == '+')
		return false;
	errno = 0;
	v = strtoll(word, &end, base);
	if (errno || *end || end == word)
		return false;
	*out = v;
	return true;
}

struct ksc_val cli_parse_arg(const char *word)
{
	int64_t i;
	double n;
	char *end;

	if (parse_integer(word, &i))
		return ksc_integer(i);
	if (*word && !isspace((unsigned char)*word) && !names_nan_or_inf(word)) {
		n = strtod(word, &end);
		if (!*end)
			return ksc_number(n);
	}
	return ksc_lstring(word, strlen(word));
}

const char *cli_format_number(double n, char *buf, size_t len)
{
	if (isnan(n))
		snprintf(buf, len, "nan");
	else if (isinf(n))
		snprintf(buf, len, n < 0 ? "-inf" : "inf");
	else
		snprintf(buf, len, "%.14g", n);
	return buf;
}

void cli_print_value(FILE *out, const struct ksc_val *val)
{
	char num[64];

	switch (val->type) {
	case KSC_VAL_NIL:
		fputs("nil\n", out);
		break;
	case KSC_VAL_BOOLEAN:
		fputs(val->v.b ? "true\n" : "false\n", out);
		break;
	case KSC_VAL_INTEGER:
		/* Lua has one number type: an integer result prints as the number it is. */
		fprintf(out, "%s\n", cli_format_number((double)val->v.i, num, sizeof(num)));
		break;
	case KSC_VAL_NUMBER:
		fprintf(out, "%s\n", cli_format_number(val->v.n, num, sizeof(num)));
		break;
	case KSC_VAL_STRING:
		fwrite(val->v.s, 1, val->len, out);
		fputc('\n', out);
		break;
	default:
		/* A table or function stays in the kernel; its address is never shown. */
		fputs("(not copied)\n", out);
		break;
	}
}
