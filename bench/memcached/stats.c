// SPDX-License-Identifier: MIT
#include "stats.h"

#include <inttypes.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"

#define LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)

/* The per-thread counters, added up. */
static void sum_threads(struct mc_server *srv, struct mc_thread_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < srv->nstats; i++) {
		struct mc_thread_stats *t = &srv->stats[i];

#define SUM(f) MC_STAT_ADD(sum, f, LOAD(t->f))
		SUM(cmd_get); SUM(get_hits); SUM(get_misses); SUM(cmd_set);
		SUM(cmd_touch); SUM(touch_hits); SUM(touch_misses);
		SUM(delete_hits); SUM(delete_misses); SUM(incr_hits);
		SUM(incr_misses); SUM(decr_hits); SUM(decr_misses);
		SUM(cas_hits); SUM(cas_misses); SUM(cas_badval); SUM(cmd_flush);
		SUM(bytes_read); SUM(bytes_written); SUM(udp_requests);
		SUM(udp_dropped); SUM(udp_replies_datagrams); SUM(udp_crossings);
#undef SUM
	}
}

static void stat_u64(struct mc_outbuf *out, const char *name, uint64_t v)
{
	mc_outbuf_printf(out, "STAT %s %" PRIu64 "\r\n", name, v);
}

static void stat_str(struct mc_outbuf *out, const char *name, const char *v)
{
	mc_outbuf_printf(out, "STAT %s %s\r\n", name, v);
}

/* GETs answered ahead of the server count as its own; how the rest passed. */
static void ahead_stats(struct mc_server *srv, struct mc_thread_stats *t, struct mc_outbuf *out)
{
	struct mc_ahead_stats a = { 0 };

	if (!srv->ahead_stats)
		return;
	srv->ahead_stats(&a);
	MC_STAT_ADD(t, cmd_get, a.answered);
	MC_STAT_ADD(t, get_hits, a.answered);
	stat_u64(out, "ksc_kernel_answered", a.answered);
	stat_u64(out, "ksc_kernel_passed", a.passed);
	stat_u64(out, "ksc_kernel_pass_busy", a.pass_busy);
	stat_u64(out, "ksc_kernel_pass_fpu", a.pass_fpu);
	stat_u64(out, "ksc_kernel_pass_cpu", a.pass_cpu);
	stat_u64(out, "ksc_kernel_pass_error", a.pass_error);
	stat_u64(out, "ksc_kernel_pass_budget", a.pass_budget);
	stat_u64(out, "ksc_kernel_pass_reply", a.pass_reply);
	stat_u64(out, "ksc_kernel_time_ns", a.time_ns);
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void general_stats(struct mc_server *srv, struct mc_outbuf *out)
{
	struct mc_thread_stats t;
	struct mc_store_stats s;
	struct rusage ru;

	sum_threads(srv, &t);
	ahead_stats(srv, &t, out);
	mc_store_get_stats(srv->store, &s);
	getrusage(RUSAGE_SELF, &ru);

	stat_u64(out, "pid", (uint64_t)getpid());
	stat_u64(out, "uptime", mc_clock_now() - 2);
	stat_u64(out, "time", (uint64_t)(mc_clock_started() + mc_clock_now() - 2));
	stat_str(out, "version", MC_PROTOCOL_VERSION);
	stat_str(out, "ksc_server", MC_SERVER_NAME);
	stat_u64(out, "pointer_size", sizeof(void *) * 8);
	mc_outbuf_printf(out, "STAT rusage_user %.6f\r\nSTAT rusage_system %.6f\r\n",
			 seconds(ru.ru_utime), seconds(ru.ru_stime));
	stat_u64(out, "curr_connections", LOAD(srv->curr_connections));
	stat_u64(out, "total_connections", LOAD(srv->total_connections));
	stat_u64(out, "rejected_connections", LOAD(srv->rejected_connections));
#define T(f) stat_u64(out, #f, LOAD(t.f))
	T(cmd_get); T(cmd_set); T(cmd_flush); T(cmd_touch);
	T(get_hits); T(get_misses); T(delete_misses); T(delete_hits);
	T(incr_misses); T(incr_hits); T(decr_misses); T(decr_hits);
	T(cas_misses); T(cas_hits); T(cas_badval); T(touch_hits);
	T(touch_misses); T(bytes_read); T(bytes_written);
#undef T
	stat_u64(out, "limit_maxbytes", s.limit_maxbytes);
	stat_u64(out, "threads", srv->settings->threads);
	stat_u64(out, "bytes", s.bytes);
	stat_u64(out, "curr_items", s.curr_items);
	stat_u64(out, "total_items", s.total_items);
	stat_u64(out, "expired_items", s.expired);
	stat_u64(out, "evictions", s.evictions);
	stat_u64(out, "hash_buckets", s.hash_buckets);
	stat_str(out, "ksc_udp_io", srv->udp_io_name ? srv->udp_io_name : "none");
	stat_u64(out, "ksc_udp_requests", LOAD(t.udp_requests));
	stat_u64(out, "ksc_udp_dropped", LOAD(t.udp_dropped));
	stat_u64(out, "ksc_udp_reply_datagrams", LOAD(t.udp_replies_datagrams));
	stat_u64(out, "ksc_udp_crossings", LOAD(t.udp_crossings));
}

static void settings_stats(struct mc_server *srv, struct mc_outbuf *out)
{
	const struct mc_settings *cfg = srv->settings;

	stat_u64(out, "maxbytes", cfg->mem_limit);
	stat_u64(out, "maxconns", cfg->conn_limit);
	stat_u64(out, "tcpport", (uint64_t)cfg->tcp_port);
	stat_u64(out, "udpport", (uint64_t)cfg->udp_port);
	stat_str(out, "inter", cfg->listen ? cfg->listen : "NULL");
	stat_u64(out, "verbosity", LOAD(srv->verbose));
	stat_u64(out, "num_threads", cfg->threads);
	stat_u64(out, "item_size_max", cfg->item_max);
	stat_u64(out, "ksc_udp_batch", cfg->udp_batch);
}

bool mc_stats_reply(struct mc_server *srv, const char *arg, size_t narg,
		    struct mc_outbuf *out)
{
	if (!arg)
		general_stats(srv, out);
	else if (narg == 8 && memcmp(arg, "settings", 8) == 0)
		settings_stats(srv, out);
	else
		return false;
	mc_outbuf_line(out, "END");
	return true;
}
