/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: gcc's freestanding <stdint.h> (its wrapper wants a libc). */
#ifndef KSC_SHIM_STDINT_H
#define KSC_SHIM_STDINT_H
#include <stdint-gcc.h>
#endif
