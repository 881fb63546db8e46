/* SPDX-License-Identifier: MIT */
#ifndef KSC_LG_OPTIONS_H
#define KSC_LG_OPTIONS_H

#include "loadgen.h"

/* Fills cfg from the command line: 0 to run, 1 when done (--help), -1 on
 * a bad option (a message is printed). */
int lg_parse_options(int argc, char **argv, struct lg_config *cfg);
void lg_free_options(struct lg_config *cfg);

#endif /* KSC_LG_OPTIONS_H */
