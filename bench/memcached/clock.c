// SPDX-License-Identifier: MIT
#include "clock.h"

static struct timespec mono_start;
static time_t unix_start;

void mc_clock_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &mono_start);
	unix_start = time(NULL);
}

uint32_t mc_clock_now(void)
{
	struct timespec ts;

	/* The coarse clock is a vDSO read: cheap enough for every request. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)(ts.tv_sec - mono_start.tv_sec) + 2;
}

time_t mc_clock_started(void)
{
	return unix_start;
}

uint32_t mc_clock_deadline(int64_t exptime)
{
	int64_t rel;

	if (exptime == 0)
		return 0;
	if (exptime < 0)
		return 1;
	if (exptime <= MC_REALTIME_MAXDELTA)
		return mc_clock_now() + (uint32_t)exptime;
	/* Absolute Unix time: before the start means already expired. */
	rel = exptime - (int64_t)unix_start;
	if (rel <= 0)
		return 1;
	if (rel > (int64_t)UINT32_MAX - 2)
		rel = (int64_t)UINT32_MAX - 2;
	return (uint32_t)rel + 2;
}

int64_t mc_clock_to_unix(uint32_t deadline)
{
	if (deadline == 0)
		return 0;
	return (int64_t)unix_start + (int64_t)deadline - 2;
}
