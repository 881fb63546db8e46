// SPDX-License-Identifier: MIT
/*
 * ksc status: whether the module is loaded (and if not, why ksc cannot
 * run), what it supports, its parameters (the ceilings of every state's
 * limits, the device's owner, group and mode), the states open and the
 * longest stretch it ran with preemption off.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define SYS_MODULE "/sys/module/ksc"
#define SYS_KSC "/sys/kernel/ksc"
#define DEVICE "/dev/ksc"

static void usage(FILE *out)
{
	fputs("usage: ksc status\n"
	      "\n"
	      "Prints whether the ksc module is loaded, the device's mode and owner,\n"
	      "the module's ABI version and features, its parameters (the ceilings of\n"
	      "every state's limits), the states open now and the longest stretch it\n"
	      "ran with preemption off (root only).\n"
	      "\n"
	      "Exit status: 0 when the module is loaded and this user can open " DEVICE ",\n"
	      "1 otherwise (the reason printed as 'ksc: MESSAGE'), 2 on bad usage.\n",
	      out);
}

/* The first line of a sysfs file, or unreadable when it cannot be read. */
static const char *read_line(const char *path, char *buf, size_t len, const char *unreadable)
{
	FILE *f = fopen(path, "r");
	char *got;

	if (!f)
		return unreadable;
	got = fgets(buf, (int)len, f);
	fclose(f);
	if (!got)
		return unreadable;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void print_parameters(void)
{
	struct dirent **names;
	char path[512], value[128];
	int n = scandir(SYS_MODULE "/parameters", &names, NULL, by_name);

	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), SYS_MODULE "/parameters/%s", names[i]->d_name);
			printf("parameter %s: %s\n", names[i]->d_name,
			       read_line(path, value, sizeof(value), "(unreadable)"));
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void print_features(uint32_t features)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} known[] = {
		{ KSC_FEATURE_SHARE, "share" },
		{ KSC_FEATURE_JIT, "jit" },
		{ KSC_FEATURE_SOCKET_HANDLERS, "socket-handlers" },
	};

	printf("features:");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (features & known[i].bit)
			printf(" %s", known[i].name);
	printf(features ? "\n" : " none\n");
}

/* What only an open state tells: the ABI and features. */
static int print_version(void)
{
	KSC_OPTS(ksc_module_version, v);
	struct ksc *ctx = cli_open();
	int err;

	if (!ctx)
		return CLI_ERROR;
	err = ksc_get_module_version(ctx, &v);
	if (err) {
		cli_fail("%s", ksc_errmsg(ctx));
	} else {
		printf("abi: %u\n", v.abi);
		print_features(v.features);
	}
	ksc_close(ctx);
	return err ? CLI_ERROR : CLI_OK;
}

static int status(void)
{
	char value[64];
	struct stat st;
	int ret;

	if (stat(SYS_MODULE, &st)) {
		printf("module: not loaded\n");
		return cli_fail("the ksc module is not loaded (modprobe ksc; see ksc(4))");
	}
	printf("module: loaded\n");
	if (stat(DEVICE, &st))
		printf("device: %s: %s\n", DEVICE, strerror(errno));
	else
		printf("device: %s mode %04o uid %u gid %u\n", DEVICE, st.st_mode & 07777,
		       st.st_uid, st.st_gid);
	ret = print_version();
	print_parameters();
	printf("states open: %s\n", read_line(SYS_KSC "/states", value, sizeof(value), "(unknown)"));
	printf("max_nopreempt_ns: %s\n", read_line(SYS_KSC "/max_nopreempt_ns", value,
						    sizeof(value), "(root only)"));
	return ret;
}

int cmd_status(int argc, char **argv)
{
	int ret = cli_no_arguments("status", argc, argv, usage);

	return ret < 0 ? status() : ret;
}
