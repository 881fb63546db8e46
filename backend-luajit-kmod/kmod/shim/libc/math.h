/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: <math.h>, implemented by musl's libm compiled into ksc.ko. */
#ifndef KSC_SHIM_MATH_H
#define KSC_SHIM_MATH_H
#define HUGE_VAL	(__builtin_huge_val())
#define INFINITY	(__builtin_inff())
#define NAN		(__builtin_nanf(""))
double acos(double x);
double asin(double x);
double atan(double x);
double atan2(double y, double x);
double cos(double x);
double cosh(double x);
double exp(double x);
double fmod(double x, double y);
double frexp(double x, int *e);
double ldexp(double x, int e);
double log(double x);
double log10(double x);
double log2(double x);
double modf(double x, double *ip);
double pow(double x, double y);
double sin(double x);
double sinh(double x);
double sqrt(double x);
double tan(double x);
double tanh(double x);
double floor(double x);
double ceil(double x);
double fabs(double x);
#endif
