/* SPDX-License-Identifier: MIT */
#ifndef KSC_LG_PREFILL_H
#define KSC_LG_PREFILL_H

#include "loadgen.h"

/* Stores every key's value over TCP (pipelined SETs, each answer checked).
 * Returns 0, or -1 with a message printed. */
int lg_prefill(const struct lg_config *cfg, const struct lg_keyspace *ks);

#endif /* KSC_LG_PREFILL_H */
