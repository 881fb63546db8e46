// SPDX-License-Identifier: MIT
/* ksc run's argument words: integers and numbers as Lua's tonumber reads them, the rest strings. */
#include <math.h>
#include <string.h>

#include "ksc_test.h"
#include "values.h"

static void expect_integer(const char *word, int64_t want)
{
	struct ksc_val v = cli_parse_arg(word);

	REQUIRE(v.type == KSC_VAL_INTEGER && v.v.i == want);
}

static void expect_number(const char *word, double want)
{
	struct ksc_val v = cli_parse_arg(word);

	REQUIRE(v.type == KSC_VAL_NUMBER && v.v.n == want);
}

static void expect_string(const char *word)
{
	struct ksc_val v = cli_parse_arg(word);

	REQUIRE(v.type == KSC_VAL_STRING && v.v.s == word && v.len == strlen(word));
}

int main(void)
{
	expect_integer("42", 42);
	expect_integer("-7", -7);
	expect_integer("010", 10);
	expect_integer("0x10", 16);
	expect_integer("-9223372036854775808", INT64_MIN);
	expect_number("0.5", 0.5);
	expect_number("1e3", 1000.0);
	expect_number("-2.5e-3", -2.5e-3);
	expect_number("99999999999999999999", 1e20);
	expect_string("");
	expect_string("hello");
	expect_string("12abc");
	expect_string("nan");
	expect_string("inf");
	expect_string("-Infinity");
	expect_string(" 5");
	expect_string("-");
	expect_string("0x");
	return 0;
}
