/* Discrete estimators: counting factorized labels, entropy and mutual
 * information from counts (plug-in and bias-corrected), the all-pairs MI
 * matrix.
 *
 * Labels arrive already factorized into int64 codes in [0, K) (the Python
 * layer does that once with NumPy); a code outside [0, K) is never used as
 * an index: the kernel returns IB_EINDEX and the position.  Results are in
 * nats.  No SIMD dispatch: the loops are integer counting and one log per
 * table cell, the same code on every SIMD path.
 */
#ifndef IB_ESTIMATE_H
#define IB_ESTIMATE_H

#include "ib_common.h"

enum {
    IB_EST_PLUGIN = 0,
    IB_EST_MILLER_MADOW = 1,
    IB_EST_GRASSBERGER = 2,
    IB_EST_JAMES_STEIN = 3,
    IB_EST_CHAO_SHEN = 4,
    IB_EST_NMETHODS = 5
};

/* counts[code[i * s]] += 1 for 0 <= i < n (counts zeroed by the caller). */
int ib_count_codes(ib_ssize n, const int64_t *code, ib_ssize s, ib_ssize K,
                   int64_t *counts, ib_ssize *bad);

/* table[cx[i*sx] * ky + cy[i*sy]] += 1 (table of kx*ky zeroed by the caller). */
int ib_count_joint(ib_ssize n, const int64_t *cx, ib_ssize sx,
                   const int64_t *cy, ib_ssize sy, ib_ssize kx, ib_ssize ky,
                   int64_t *table, ib_ssize *bad);

/* Entropy estimate (nats) from m counts c[i * s] (zeros allowed).  p is the
 * alphabet size for James-Stein (>= number of nonzero counts; ignored by the
 * other methods).  IB_EINVAL for a negative count (*bad = its index). */
int ib_entropy_counts(int method, ib_ssize m, const int64_t *c, ib_ssize s,
                      double p, double *out, ib_ssize *bad);

/* Mutual information (nats) from a dense kx x ky table t[i*s0 + j*s1].
 * Plug-in: sum_ij (t_ij/N) log(N t_ij / (a_i b_j)), clipped at 0 (rounding
 * only).  Other methods: H(a; px) + H(b; py) - H(t; px*py), each entropy
 * estimated by the method.  IB_EINVAL for a negative cell (*bad = i*ky+j). */
int ib_mi_table(int method, ib_ssize kx, ib_ssize ky, const int64_t *t,
                ib_ssize s0, ib_ssize s1, double px, double py, double *out,
                ib_ssize *bad);

/* sum_k w_k log((p_k q_k) / (r_k s_k)) / N over nnz cells (strides may be 0
 * to broadcast one value); cells with w_k == 0 contribute 0.  The plug-in
 * cell sums of MI, conditional entropy and conditional MI. */
double ib_log_ratio_sum(ib_ssize nnz, const int64_t *w, ib_ssize sw,
                        const int64_t *p, ib_ssize sp, const int64_t *q,
                        ib_ssize sq, const int64_t *r, ib_ssize sr,
                        const int64_t *s, ib_ssize ss, double N);

/* Column minima and maxima of x[i*s0 + j*s1] (n > 0 rows, m columns),
 * threads over fixed row blocks. */
int ib_minmax_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                  ib_ssize s1, int64_t *mn, int64_t *mx);

/* Factorize integer labels in small ranges: x[i*s0 + j*s1] (i < n samples,
 * j < m variables) with values in [mn[j], mn[j] + R[j]] become codes in
 * [0, K[j]) in sorted-value order, stored as code_size-byte integers (1:
 * uint8, 2: uint16, 4: int32, 8: int64) in codes[j * n + i].  IB_EINVAL if a
 * value lies outside its range.  Threads split the rows at fixed blocks. */
int ib_factorize_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                     ib_ssize s1, const int64_t *mn, const int64_t *R,
                     int code_size, void *codes, int64_t *K);

/* All pairs of m variables given as codes (m rows of n code_size-byte
 * integers, as written by ib_factorize_int) with K[v] categories and
 * alphabets P[v].  out (m x m, row-major) gets the entropies on the diagonal
 * and the MI of every pair (i < j) with todo[i * m + j] != 0 in both
 * triangles; other pairs are left untouched.  One OpenMP parallel for over
 * the pairs, one fixed result per pair: the values do not depend on the
 * thread count. */
int ib_mi_matrix(int method, ib_ssize n, ib_ssize m, const void *codes,
                 int code_size, const int64_t *K, const double *P,
                 const unsigned char *todo, double *out, ib_ssize *bad);

#endif
