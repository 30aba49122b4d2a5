/* PLACEHOLDER: libm-backed log/exp/log1p; to be replaced by the branch-free
 * vectorisable implementation. */
#ifndef IB_VMATH_H
#define IB_VMATH_H
#include <math.h>
static inline double ib_log_f64(double x) { return log(x); }
static inline double ib_exp_f64(double x) { return exp(x); }
static inline double ib_log1p_f64(double x) { return log1p(x); }
#endif
