/* SPDX-License-Identifier: MIT */
#ifndef KSC_MC_OPTIONS_H
#define KSC_MC_OPTIONS_H

#include "server.h"

/* Fills cfg from the command line. Returns 0 to run, 1 when done (--help,
 * --version), -1 on a bad option (a message is printed). */
int mc_parse_options(int argc, char **argv, struct mc_settings *cfg);

#endif /* KSC_MC_OPTIONS_H */
