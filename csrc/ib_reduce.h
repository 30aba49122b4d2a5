/* Reductions on probability arrays (entropy, KL, MI, JS, power sums).
 *
 * Every operand is a 3-D strided view (K, R, C) with strides counted in
 * elements (any sign, 0 for broadcast).  out[k] is the sum over r, c of a
 * term of the operands' values.  The R*C terms of one output are summed in
 * a fixed tree: blocks of IB_BLOCK terms (8 lanes), chunks of
 * IB_CHUNK_BLOCKS blocks (pairwise), chunks pairwise.  Threads split the
 * work at chunk boundaries, so the result does not depend on the thread
 * count or on the SIMD path.
 */
#ifndef IB_REDUCE_H
#define IB_REDUCE_H
#include "ib_common.h"

/* The terms (one row each in the term table, ib_reduce_terms.h). */
enum {
    IB_TERM_ENTR = 0,   /* -a log a                                  */
    IB_TERM_KL = 1,     /*  a log(a / b)                             */
    IB_TERM_MI = 2,     /*  a log(a / (b c))                         */
    IB_TERM_JS = 3,     /*  (a log(a/m) + b log(b/m)) / 2, m=(a+b)/2 */
    IB_TERM_POW = 4,    /*  a^par (0 for a = 0, any par >= 0)        */
    IB_TERM_SQ = 5,     /*  a^2 (IB_TERM_POW's par = 2, exactly      */
                        /*  rounded and without log and exp)         */
    IB_TERM_SQRT = 6,   /*  a^(1/2) (par = 1/2, exactly rounded)     */
    IB_TERM_COUNT = 7
};

enum { IB_NAN_OMIT = 0, IB_NAN_PROPAGATE = 1, IB_NAN_RAISE = 2 };

#define IB_BLOCK 128
#define IB_CHUNK_BLOCKS 64
#define IB_CHUNK (IB_BLOCK * IB_CHUNK_BLOCKS)

/* Probability inputs.  Under IB_NAN_PROPAGATE and IB_NAN_RAISE the
 * operands flagged in chk (bit o: operand o = a, b, c) are checked in the
 * reduction's own pass: a value below 0 or above IB_PROB_HI (1 plus
 * rounding; +-inf included), and under "raise" a NaN, gives IB_EINVAL (out
 * is then unspecified; the caller locates the value).  chk is ignored
 * under IB_NAN_OMIT.  The fast path's operand ranges end at IB_PROB_HI for
 * the checked operands, so the check costs nothing on valid blocks.
 *
 * sums: NULL, or 2 K doubles that receive, per output k, the sums of a
 * (sums[2k]) and, for KL and JS, of b (sums[2k + 1]; 0 otherwise), taken
 * in the same lanes as the terms (for the sum-to-one check; 0 for an empty
 * slice; NaN when a NaN was summed).
 *
 * par: the term's parameter (IB_TERM_POW: the exponent, finite and >= 0;
 * ignored by the other terms).
 *
 * Returns IB_OK, IB_EINVAL or IB_ENOMEM (IB_EINVAL also for a term outside
 * [0, IB_TERM_COUNT)).  Unused operands (b, c) may be NULL.  Results are in
 * nats. */
#define IB_PROB_HI (1.0 + 0x1p-20)
int ib_reduce_f64(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                  ib_ssize C, const double *a, const ib_ssize *sa,
                  const double *b, const ib_ssize *sb,
                  const double *c, const ib_ssize *sc, double *out, double *sums);
int ib_reduce_f32(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                  ib_ssize C, const float *a, const ib_ssize *sa,
                  const float *b, const ib_ssize *sb,
                  const float *c, const ib_ssize *sc, double *out, double *sums);

/* ib_reduce_* with K == 1 that also returns, from the same pass, the row
 * sums (R) and column sums (C) of the first operand a (summed in an order
 * that may depend on the thread count: for checks only, not results).
 * out is bitwise ib_reduce_*'s.  K != 1 gives IB_EINVAL. */
int ib_reduce_margins_f64(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                          ib_ssize C, const double *a, const ib_ssize *sa,
                          const double *b, const ib_ssize *sb,
                          const double *c, const ib_ssize *sc, double *out,
                          double *sums, double *rowsum, double *colsum);
int ib_reduce_margins_f32(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                          ib_ssize C, const float *a, const ib_ssize *sa,
                          const float *b, const ib_ssize *sb,
                          const float *c, const ib_ssize *sc, double *out,
                          double *sums, double *rowsum, double *colsum);

/* Row sums and column sums of an R x C strided array (strides in elements),
 * in one pass and a fixed order (independent of the strides).  Returns
 * IB_OK or IB_ENOMEM. */
int ib_margins_f64(ib_ssize R, ib_ssize C, const double *a, ib_ssize s0,
                   ib_ssize s1, double *rowsum, double *colsum);
int ib_margins_f32(ib_ssize R, ib_ssize C, const float *a, ib_ssize s0,
                   ib_ssize s1, double *rowsum, double *colsum);

/* Elementwise vector math over contiguous doubles (used by tests and by
 * elementwise measures). */
void ib_vlog_f64(const double *x, double *y, ib_ssize n);
void ib_vexp_f64(const double *x, double *y, ib_ssize n);
void ib_vlog1p_f64(const double *x, double *y, ib_ssize n);
void ib_vexp_f32(const float *x, float *y, ib_ssize n);
void ib_vlog_f32(const float *x, float *y, ib_ssize n);
void ib_vexp_diff_f32(const float *x, const float *m, float *y, ib_ssize n);

#endif
