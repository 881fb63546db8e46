// SPDX-License-Identifier: MIT
/* Command-line options, named as memcached names them. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_number.h"
#include "udp_io.h"

#define MC_DEFAULT_MEM_MB 64
#define MC_DEFAULT_ITEM_MAX (1u << 20)
#define MC_ITEM_MIN 1024
#define MC_BATCH_MAX 256	/* libksc's KSC_UDP_BATCH_MAX */
#define MC_DEFAULT_XDP_ITEMS 16384	/* about 1.7 KiB of BPF map each */
#define MC_XDP_ITEMS_MAX (1u << 20)

static void usage(FILE *f)
{
	fprintf(f,
"usage: ksc-memcached [options]\n"
"A memcached-compatible server (ASCII protocol over TCP and UDP).\n"
"\n"
"  -p, --port=<num>          TCP port to listen on (default 11211, 0: off)\n"
"  -U, --udp-port=<num>      UDP port to listen on (default 0: off)\n"
"  -l, --listen=<addr>       address to listen on (default: all IPv4)\n"
"  -m, --memory-limit=<MB>   item memory limit in megabytes (default %u)\n"
"  -I, --max-item-size=<n>   largest item, with k/m suffix (default 1m)\n"
"  -t, --threads=<num>       threads for TCP and, as many again, for UDP\n"
"                            (default 1)\n"
"  -c, --conn-limit=<num>    most simultaneous TCP connections (default 1024)\n"
"  -u, --user=<user>         user to run as (required when started as root)\n"
"  -v, --verbose             log more (repeat for more)\n"
"      --udp-batch=<num>     datagrams taken per UDP receive (default 16)\n"
"      --handler             answer UDP GET hits with kernel code in front of\n"
"                            the UDP socket, kept a mirror of the store\n"
"                            (libksc's ksc_handler_*: luajit runs a Lua handler;\n"
"                            ebpf the XDP cache, on --xdp-if, needs root: keep\n"
"                            it with -u root)\n"
"      --xdp-if=<ifname>     ebpf: the interface of the XDP cache (implies\n"
"                            --handler)\n"
"      --xdp-mode=<mode>     native (in the driver, default) or generic\n"
"      --xdp-items=<num>     items the XDP cache holds (default %u)\n"
"  -V, --version             print the version and exit\n"
"  -h, --help                print this help and exit\n"
"\n"
"UDP I/O: libksc's UDP batch service, backend from KSC_BACKEND, else %s.\n",
	MC_DEFAULT_MEM_MB, MC_DEFAULT_XDP_ITEMS, mc_udp_io_default_backend());
}

/* -I: bytes with an optional k or m suffix, as memcached accepts. */
static bool parse_size(const char *s, size_t *out)
{
	char buf[32];
	size_t n = strlen(s), mult = 1;
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == 'k' || buf[n - 1] == 'K')
		mult = 1024;
	else if (buf[n - 1] == 'm' || buf[n - 1] == 'M')
		mult = 1024 * 1024;
	if (mult != 1)
		buf[n - 1] = '\0';
	if (!parse_u64(buf, 0, SIZE_MAX / mult, &v))
		return false;
	*out = (size_t)v * mult;
	return true;
}

static int bad(const char *opt, const char *arg)
{
	fprintf(stderr, "ksc-memcached: bad value for %s: '%s'\n", opt, arg);
	return -1;
}

int mc_parse_options(int argc, char **argv, struct mc_settings *cfg)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "udp-port", required_argument, NULL, 'U' },
		{ "listen", required_argument, NULL, 'l' },
		{ "memory-limit", required_argument, NULL, 'm' },
		{ "max-item-size", required_argument, NULL, 'I' },
		{ "threads", required_argument, NULL, 't' },
		{ "conn-limit", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "udp-batch", required_argument, NULL, 'B' + 256 },
		{ "handler", no_argument, NULL, 'H' + 256 },
		{ "xdp-if", required_argument, NULL, 'X' + 256 },
		{ "xdp-mode", required_argument, NULL, 'M' + 256 },
		{ "xdp-items", required_argument, NULL, 'N' + 256 },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t v;
	int opt;

	*cfg = (struct mc_settings){
		.tcp_port = 11211,
		.mem_limit = (size_t)MC_DEFAULT_MEM_MB << 20,
		.item_max = MC_DEFAULT_ITEM_MAX,
		.threads = 1,
		.conn_limit = 1024,
		.udp_batch = 16,
		.xdp_items = MC_DEFAULT_XDP_ITEMS,
	};
	while ((opt = getopt_long(argc, argv, "p:U:l:m:I:t:c:u:vVh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
		case 'U':
			if (!parse_u64(optarg, 0, 65535, &v))
				return bad(opt == 'p' ? "-p" : "-U", optarg);
			*(opt == 'p' ? &cfg->tcp_port : &cfg->udp_port) = (int)v;
			break;
		case 'l':
			cfg->listen = optarg;
			break;
		case 'm':
			if (!parse_u64(optarg, 1, SIZE_MAX >> 20, &v))
				return bad("-m", optarg);
			cfg->mem_limit = (size_t)v << 20;
			break;
		case 'I':
			if (!parse_size(optarg, &cfg->item_max) ||
			    cfg->item_max < MC_ITEM_MIN)
				return bad("-I", optarg);
			break;
		case 't':
			if (!parse_u64(optarg, 1, 256, &v))
				return bad("-t", optarg);
			cfg->threads = (unsigned)v;
			break;
		case 'c':
			if (!parse_u64(optarg, 1, 1u << 20, &v))
				return bad("-c", optarg);
			cfg->conn_limit = (unsigned)v;
			break;
		case 'u':
			cfg->user = optarg;
			break;
		case 'v':
			cfg->verbose++;
			break;
		case 'B' + 256:
			if (!parse_u64(optarg, 1, MC_BATCH_MAX, &v))
				return bad("--udp-batch", optarg);
			cfg->udp_batch = (unsigned)v;
			break;
		case 'H' + 256:
			cfg->handler = true;
			break;
		case 'X' + 256:
			cfg->xdp_ifname = optarg;
			cfg->handler = true;
			break;
		case 'M' + 256:
			if (strcmp(optarg, "native") && strcmp(optarg, "generic"))
				return bad("--xdp-mode", optarg);
			cfg->xdp_generic = strcmp(optarg, "generic") == 0;
			break;
		case 'N' + 256:
			if (!parse_u64(optarg, 1, MC_XDP_ITEMS_MAX, &v))
				return bad("--xdp-items", optarg);
			cfg->xdp_items = (unsigned)v;
			break;
		case 'V':
			printf("%s (memcached protocol %s)\n", MC_SERVER_NAME,
			       MC_PROTOCOL_VERSION);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ksc-memcached: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (cfg->item_max > cfg->mem_limit / 2) {
		/* memcached's own rule: an item may take at most half the memory. */
		fprintf(stderr, "ksc-memcached: -I may be at most half of -m\n");
		return -1;
	}
	if (cfg->handler && !cfg->udp_port) {
		fprintf(stderr, "ksc-memcached: --handler and --xdp-if need a UDP port (-U)\n");
		return -1;
	}
	if (!cfg->tcp_port && !cfg->udp_port) {
		fprintf(stderr, "ksc-memcached: both -p and -U are 0: nothing to serve\n");
		return -1;
	}
	return 0;
}
