// SPDX-License-Identifier: MIT
/* ksc run prints results as Lua's tostring does. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ksc_test.h"
#include "values.h"

static void expect_printed(struct ksc_val v, const char *want)
{
	char buf[128] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	REQUIRE(f);
	cli_print_value(f, &v);
	fclose(f);
	if (strcmp(buf, want)) {
		fprintf(stderr, "printed '%s', want '%s'\n", buf, want);
		REQUIRE(!strcmp(buf, want));
	}
}

int main(void)
{
	expect_printed(ksc_nil(), "nil\n");
	expect_printed(ksc_boolean(true), "true\n");
	expect_printed(ksc_boolean(false), "false\n");
	expect_printed(ksc_integer(3), "3\n");
	expect_printed(ksc_integer(1000000000000000), "1e+15\n");
	expect_printed(ksc_number(0.1), "0.1\n");
	expect_printed(ksc_number(3.0), "3\n");
	expect_printed(ksc_number(1e15), "1e+15\n");
	expect_printed(ksc_number(9007199254740992.0), "9.007199254741e+15\n");
	expect_printed(ksc_number(-0.0), "-0\n");
	expect_printed(ksc_number(NAN), "nan\n");
	expect_printed(ksc_number(-NAN), "nan\n");
	expect_printed(ksc_number(INFINITY), "inf\n");
	expect_printed(ksc_number(-INFINITY), "-inf\n");
	expect_printed(ksc_lstring("hi there", 2), "hi\n");
	expect_printed((struct ksc_val){ .type = KSC_VAL_OTHER }, "(not copied)\n");
	return 0;
}
