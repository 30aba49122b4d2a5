/* Numerics kernels: SIMD-path and element-type instantiation, the
 * log-sum-exp combination, and the entry points on the engine. */
#include "ib_numerics.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Partial log-sum-exp of a run of entries: m the largest entry, c the
 * summed weights of the entries equal to m, s the sum of b exp(a - m) over
 * the others.  Keeping the max terms apart is SciPy's precision trick:
 * the result is log1p(s / c) + log|c| + m. */
typedef struct {
    double m, c, s;
} ib_lse_acc;

static inline double ib_sign(double x)
{
    return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x == 0.0 ? 0.0 : NAN;
}

/* SciPy's finalisation (scipy.special.logsumexp, 1.15+), with the direct
 * sum for non-finite results replaced by the same sum taken relative to m,
 * so that it cannot overflow. */
static void ib_lse_finish(ib_lse_acc a, double *out, double *sgn)
{
    double M = a.m, c = a.c, s = a.s, o, g;
    if (M == -INFINITY) {
        if (s != s) {
            o = NAN;
            g = NAN;
        } else {
            o = -INFINITY;
            g = 0.0;
        }
    } else {
        double sp = (s == 0.0) ? s : s / c;
        g = ib_sign(sp + 1.0) * ib_sign(c);
        if (sp < -1.0)
            sp = -sp - 2.0;
        o = ib_log1p_f64(sp) + ib_log_f64(fabs(c)) + M;
        if (!isfinite(o)) {
            double T = c + s;
            o = ib_log_f64(fabs(T)) + M;
            g = ib_sign(T);
            if (o != o)
                g = NAN;
        }
    }
    *out = o;
    if (sgn != NULL)
        *sgn = g;
}

/* The kernels, once per SIMD path (and, inside, once per element type). */
#define IB_PATH_BODY "ib_numerics_path.h"
#include "ib_per_path.h"

/* ---------------------------------------------------------------- lse -- */

void ib_vexp_scaled_f64(const double *x, double *y, ib_ssize n)
{
    if (n > 0)
        IB_PICK(nx_vexp_scaled)(x, y, n);
}

void ib_vexp16_scaled_f64(const double *x, double *y, ib_ssize n)
{
    if (n > 0)
        IB_PICK(nx_vexp16_hook)(x, y, n);
}

static ib_lse_acc ib_lse_combine(ib_lse_acc a, ib_lse_acc b)
{
    ib_lse_acc r;
    double M = a.m > b.m ? a.m : b.m;
    r.m = M;
    if (M == -INFINITY) {
        r.c = a.c + b.c;
        r.s = a.s + b.s;
        return r;
    }
    double sa, sb, ca = 0.0, cb = 0.0;
    if (a.m == M) {
        ca = a.c;
        sa = a.s;
    } else {
        sa = (a.c + a.s) * ib_exp_f64(a.m - M);
    }
    if (b.m == M) {
        cb = b.c;
        sb = b.s;
    } else {
        sb = (b.c + b.s) * ib_exp_f64(b.m - M);
    }
    r.c = ca + cb;
    r.s = sa + sb;
    return r;
}

static ib_lse_acc ib_lse_tree(const ib_lse_acc *p, ib_ssize n)
{
    if (n == 1)
        return p[0];
    ib_ssize h = n / 2;
    return ib_lse_combine(ib_lse_tree(p, h), ib_lse_tree(p + h, n - h));
}

/* The exported entry points, once per element type. */
#define IB_TYPE_BODY "ib_numerics_entry.h"
#include "ib_per_type.h"
#undef IB_TYPE_BODY
