/* SPDX-License-Identifier: MIT */
/*
 * The server clock: whole seconds since the server started, as memcached
 * keeps it (rel_time_t), so that item expiry times fit in 32 bits and do not
 * jump when the wall clock is set.
 */
#ifndef KSC_MC_CLOCK_H
#define KSC_MC_CLOCK_H

#include <stdint.h>
#include <time.h>

/* memcached: an exptime above 30 days is an absolute Unix time. */
#define MC_REALTIME_MAXDELTA (60 * 60 * 24 * 30)

/* Starts the clock; call once before any other function here. */
void mc_clock_init(void);

/* Seconds since start, plus 2, so that 1 is always in the past and 0 can
 * mean "never" in an exptime. */
uint32_t mc_clock_now(void);

/* Unix time the server started at (for stats and the hooks' exptime). */
time_t mc_clock_started(void);

/* A client's exptime (relative seconds, absolute Unix time, 0 = never,
 * negative = already expired) as a server-clock deadline; 0 = never. */
uint32_t mc_clock_deadline(int64_t exptime);

/* A server-clock deadline as Unix time; 0 stays 0. */
int64_t mc_clock_to_unix(uint32_t deadline);

#endif /* KSC_MC_CLOCK_H */
