// SPDX-License-Identifier: MIT
#include "options.h"

#include "parse_number.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
"usage: ksc-loadgen [options]\n"
"Sends memcached GETs over UDP and checks every reply; SETs the keys over TCP\n"
"first. Prints requests/s and latency percentiles as a table or JSON.\n"
"\n"
"  -s, --server=HOST       server address (default 127.0.0.1)\n"
"  -p, --port=N            server TCP port, for the prefill (default 11211)\n"
"  -U, --udp-port=N        server UDP port (default 11211)\n"
"  -t, --threads=T         sending threads (default 4)\n"
"  -c, --concurrency=C     outstanding requests per thread (default 128)\n"
"  -r, --rate=R            open loop: R requests/s in all (default: closed loop)\n"
"  -k, --keys=N            key space size (default 100000)\n"
"      --key-size=N        key length in bytes (default 16)\n"
"  -v, --value-size=N      value size in bytes (default 32)\n"
"      --zipf[=THETA]      zipf key popularity, THETA in (0,1) (default 0.99);\n"
"                          without it keys are uniform\n"
"  -w, --warmup=SECS       warm-up, not measured (default 1)\n"
"  -d, --duration=SECS     measured time (default 5)\n"
"      --timeout=MS        resend a request unanswered this long (default 500)\n"
"      --retries=N         resends before a request counts as lost (default 2)\n"
"      --batch=N           datagrams per sendmmsg/recvmmsg (default 32)\n"
"      --no-prefill        do not SET the keys first\n"
"      --cpus=LIST         pin thread i to the (i mod n)-th CPU of LIST (e.g. 0,1)\n"
"      --json              print the result as one JSON object\n"
"  -q, --quiet             no progress lines on stderr\n"
"      --max-errors=N      exit 1 when errors + misses exceed N (default 0)\n"
"  -h, --help              print this help\n");
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "0,1,3": the CPUs to pin to, in order. */
static bool parse_cpus(const char *s, struct lg_config *cfg)
{
	unsigned n = 1;
	const char *p;

	for (p = s; *p; p++)
		n += *p == ',';
	free(cfg->cpus);	/* a second --cpus replaces the first */
	cfg->cpus = calloc(n, sizeof(*cfg->cpus));
	if (!cfg->cpus)
		return false;
	cfg->ncpus = 0;
	for (p = s; cfg->ncpus < n; p++) {
		char *end;
		long v;

		errno = 0;
		v = strtol(p, &end, 10);
		if (errno || end == p || v < 0 || v >= 1024 || (*end && *end != ','))
			return false;
		cfg->cpus[cfg->ncpus++] = (int)v;
		p = end;
		if (!*p)
			break;
	}
	return cfg->ncpus == n;
}

enum {
	OPT_KEY_SIZE = 256, OPT_ZIPF, OPT_TIMEOUT, OPT_RETRIES, OPT_BATCH,
	OPT_NO_PREFILL, OPT_CPUS, OPT_JSON, OPT_MAX_ERRORS,
};

int lg_parse_options(int argc, char **argv, struct lg_config *cfg)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "udp-port", required_argument, NULL, 'U' },
		{ "threads", required_argument, NULL, 't' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "keys", required_argument, NULL, 'k' },
		{ "key-size", required_argument, NULL, OPT_KEY_SIZE },
		{ "value-size", required_argument, NULL, 'v' },
		{ "zipf", optional_argument, NULL, OPT_ZIPF },
		{ "warmup", required_argument, NULL, 'w' },
		{ "duration", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "no-prefill", no_argument, NULL, OPT_NO_PREFILL },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t v = 0;
	int opt, li;

	*cfg = (struct lg_config){
		.server = "127.0.0.1", .tcp_port = 11211, .udp_port = 11211,
		.threads = 4, .concurrency = 128, .keys = 100000, .key_size = 16,
		.value_size = 32, .zipf_theta = 0.99, .warmup = 1, .duration = 5,
		.timeout_ms = 500, .retries = 2, .batch = 32, .prefill = true,
	};
	while ((li = -1, opt = getopt_long(argc, argv, "s:p:U:t:c:r:k:v:w:d:qh",
					   longopts, &li)) != -1) {
		bool ok = true;

		switch (opt) {
		case 's': cfg->server = optarg; break;
		case 'p':
		case 'U':
			ok = parse_u64(optarg, 1, 65535, &v);
			*(opt == 'p' ? &cfg->tcp_port : &cfg->udp_port) = (int)v;
			break;
		case 't':
			ok = parse_u64(optarg, 1, 1024, &v);
			cfg->threads = (unsigned)v;
			break;
		case 'c':
			/* ids are 16 bits: leave room to skip those in use */
			ok = parse_u64(optarg, 1, 32768, &v);
			cfg->concurrency = (unsigned)v;
			break;
		case 'r': ok = parse_double(optarg, 1, 1e9, &cfg->rate); break;
		/* One key: the floor of make bench, an XDP program with one fixed reply. */
		case 'k': ok = parse_u64(optarg, 1, UINT64_MAX / 2, &cfg->keys); break;
		case OPT_KEY_SIZE:
			ok = parse_u64(optarg, 1, 250, &v);
			cfg->key_size = (unsigned)v;
			break;
		case 'v':
			ok = parse_u64(optarg, 0, 16u << 20, &v);
			cfg->value_size = (size_t)v;
			break;
		case OPT_ZIPF:
			cfg->zipf = true;
			if (optarg)
				ok = parse_double(optarg, 1e-6, 0.999999, &cfg->zipf_theta);
			break;
		case 'w': ok = parse_double(optarg, 0, 3600, &cfg->warmup); break;
		case 'd': ok = parse_double(optarg, 0.1, 86400, &cfg->duration); break;
		case OPT_TIMEOUT:
			ok = parse_u64(optarg, 1, 60000, &v);
			cfg->timeout_ms = (unsigned)v;
			break;
		case OPT_RETRIES:
			ok = parse_u64(optarg, 0, 100, &v);
			cfg->retries = (unsigned)v;
			break;
		case OPT_BATCH:
			ok = parse_u64(optarg, 1, 1024, &v);
			cfg->batch = (unsigned)v;
			break;
		case OPT_NO_PREFILL: cfg->prefill = false; break;
		case OPT_CPUS: ok = parse_cpus(optarg, cfg); break;
		case OPT_JSON: cfg->json = true; break;
		case 'q': cfg->quiet = true; break;
		case OPT_MAX_ERRORS: ok = parse_u64(optarg, 0, UINT64_MAX, &cfg->max_errors); break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
		if (!ok) {
			if (li >= 0)
				fprintf(stderr, "ksc-loadgen: bad value for --%s: '%s'\n",
					longopts[li].name, optarg);
			else
				fprintf(stderr, "ksc-loadgen: bad value for -%c: '%s'\n",
					opt, optarg);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ksc-loadgen: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

void lg_free_options(struct lg_config *cfg)
{
	free(cfg->cpus);
	cfg->cpus = NULL;
}
