/* Reductions on probability arrays: SIMD-path and element-type
 * instantiation; the entry points run on the engine (ib_engine.h). */
#include "ib_reduce.h"
#include "ib_reduce_terms.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>

/* Outputs per tile of the outer-axis path: its lane rows (8 x 128 doubles,
 * 8 KB) stay in L1 and the 64 block sums of a chunk (64 KB) in L2, while a
 * row segment of 128 doubles is 16 cache lines read in one stream. */
#define IB_OUTER_W 128
/* Rows the outer-axis path prefetches ahead (~ memory latency / time per
 * row segment: ~100 ns / ~15-60 ns; 4, 6 and 12 measured alike, and all
 * ~25% faster than none on (1000, 10^4) axis=0). */
#define IB_OUTER_AHEAD 6
#if defined(__GNUC__)
#define IB_PREFETCH(p) __builtin_prefetch(p)
#else
#define IB_PREFETCH(p) ((void)(p))
#endif

/* The block loops, once per SIMD path (and per element type inside). */
#define IB_PATH_BODY "ib_reduce_path.h"
#include "ib_per_path.h"

/* Row and column sums of one block for ib_margins_*: col[t] += x[t], and
 * the row's share by ib_lanes_sum8's lanes. */
static double ib_margins_block_(const double *restrict x, double *restrict col, int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};  /* ib_lanes_sum8's lanes */
    int t = 0;
    for (; t + 8 <= n; t += 8) {
        const double *restrict g = x + t;
        double *restrict h = col + t;
#pragma omp simd
        for (int i = 0; i < 8; i++) {
            double y = g[i];
            h[i] += y;
            acc[i] += y;
        }
    }
    for (int i = 0; t < n; t++, i++) {
        col[t] += x[t];
        acc[i] += x[t];
    }
    return ib_lanes_total8(acc);
}

/* The term's parameters for the kernels: tp[o] the upper end of operand
 * o's fast-path range, the term's own (ib_term_rows) or, for the operands
 * whose probability range is checked (chk, bit o for operand o), the lower
 * of it and IB_PROB_HI: then a block on the fast path holds only valid
 * probabilities, and only blocks off it (rare for valid data) pay for
 * locating the bad values; tp[3] the term's parameter par. */
static void ib_red_tp(int term, double par, int chk, double *tp)
{
    const double th = ib_term_rows[term].hi;
    for (int o = 0; o < 3; o++)
        tp[o] = (((chk >> o) & 1) && IB_PROB_HI < th) ? IB_PROB_HI : th;
    tp[3] = par;
}

/* A unit's partial: the chunk's sum of terms and the sums of the first
 * two operands (the probability-sum check); done reads them as doubles
 * with stride 3. */
typedef struct {
    double v, s0, s1;
} ib_red_part;

/* The entry points, once per element type. */
#define IB_TYPE_BODY "ib_reduce_entry.h"
#include "ib_per_type.h"
#undef IB_TYPE_BODY

/* Elementwise vector math (tests and elementwise measures). */
void ib_vlog_f64(const double *x, double *y, ib_ssize n)
{
    IB_PICK(ib_vlog)(x, y, n);
}

void ib_vexp_f64(const double *x, double *y, ib_ssize n)
{
    IB_PICK(ib_vexp)(x, y, n);
}

void ib_vlog1p_f64(const double *x, double *y, ib_ssize n)
{
    IB_PICK(ib_vlog1p)(x, y, n);
}

void ib_vlog_f32(const float *x, float *y, ib_ssize n)
{
    IB_PICK(ib_vlog_f32)(x, y, n);
}

void ib_vexp_f32(const float *x, float *y, ib_ssize n)
{
    IB_PICK(ib_vexp_f32)(x, y, n);
}

void ib_vexp_diff_f32(const float *x, const float *m, float *y, ib_ssize n)
{
    IB_PICK(ib_vexp_diff_f32)(x, m, y, n);
}
