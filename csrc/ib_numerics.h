/* Numerics kernels: log-sum-exp, softmax, softplus and the binary losses.
 *
 * Operands are 2-D strided views (R, C) with strides counted in elements
 * (any sign, 0 for broadcast).  Reductions split each row (or the flat
 * R*C range for the losses) into chunks of IB_NX_CHUNK elements, which are
 * summed in a fixed order (8 lanes per block, fixed trees above), so results
 * do not depend on the thread count or on the SIMD path.  Everything is
 * accumulated in float64, for float32 operands too.
 */
#ifndef IB_NUMERICS_H
#define IB_NUMERICS_H
#include "ib_common.h"

/* Block: the unit of one vector loop over stack buffers.  256 doubles
 * (2 KB) per buffer: the up to seven buffers of a block loop stay in L1,
 * and the per-block calls and lane totals are amortised (the reductions in
 * ib_reduce use 128: their blocks hold up to three gathered operands and
 * their terms). */
#define IB_NX_BLOCK 256
/* Chunk: the unit of threading and of the fixed summation tree.  32 blocks
 * = 8192 elements: ~5-10 us of work, enough to repay a unit's scheduling
 * while a 64K-element call still splits into 8 units. */
#define IB_NX_CHUNK_BLOCKS 32
#define IB_NX_CHUNK (IB_NX_BLOCK * IB_NX_CHUNK_BLOCKS)
/* Rows at most this long are processed several at a time (one vector loop
 * over a group of rows) by logsumexp and softmax: below 32 a row's own
 * vector loop is mostly its scalar tail and per-row call overhead. */
#define IB_NX_SMALL_C 32
/* Rows of one chunk are finished this many at a time by logsumexp (the
 * logs of the finish in one vector loop): 16 rows of 8192 entries are
 * still 128K elements, a unit of threading of about 100 us. */
#define IB_NX_LSE_ROWS 16

/* log |sum_k b[r, k] exp(a[r, k])| for each of the R rows (C terms each),
 * with SciPy's conventions: entries with b == 0 are left out, a +inf entry
 * gives +inf, a NaN gives NaN, all -inf gives -inf.  b may be NULL (all
 * ones).  sgn (may be NULL) receives the sign of the sum (+1, 0, -1, or NaN
 * with a NaN result).  Finite inputs never overflow. */
int ib_logsumexp_f64(ib_ssize R, ib_ssize C, const double *a, const ib_ssize *sa,
                     const double *b, const ib_ssize *sb, double *out,
                     double *sgn);
int ib_logsumexp_f32(ib_ssize R, ib_ssize C, const float *a, const ib_ssize *sa,
                     const float *b, const ib_ssize *sb, double *out,
                     double *sgn);

/* Row-wise softmax (log_softmax when logsm != 0) of x (R, C) into out
 * (R, C), both strided.  k > 0 entries equal to +inf: 1/k there, 0
 * elsewhere (log: -log k and -inf); all -inf or any NaN: a NaN row. */
int ib_softmax_f64(int logsm, ib_ssize R, ib_ssize C, const double *x,
                   const ib_ssize *sx, double *out, const ib_ssize *so);
int ib_softmax_f32(int logsm, ib_ssize R, ib_ssize C, const float *x,
                   const ib_ssize *sx, float *out, const ib_ssize *so);

/* y = log(1 + exp(x)) (neg == 0) or y = -log(1 + exp(-x)) (neg != 0),
 * n elements, x and y strided. */
int ib_log1pexp_f64(int neg, ib_ssize n, const double *x, ib_ssize sx,
                    double *y, ib_ssize sy);
int ib_log1pexp_f32(int neg, ib_ssize n, const float *x, ib_ssize sx,
                    float *y, ib_ssize sy);

enum { IB_BIN_PROB = 0, IB_BIN_LOGITS = 1, IB_BIN_FOCAL = 2 };

typedef struct {
    int kind;            /* IB_BIN_PROB, IB_BIN_LOGITS, IB_BIN_FOCAL        */
    double gamma;        /* focal exponent                                  */
    double alpha;        /* focal class weight; < 0 or NaN disables it      */
    double grad_scale;   /* gradient multiplier (1/n for a mean)            */
} ib_binary_params;

/* Elementwise binary losses over (R, C) operands x (probabilities or
 * logits), y (targets), w (weights, may be NULL) and pw (positive-class
 * weights, may be NULL; BCE only).  loss (may be NULL) receives
 * the elementwise losses and grad (may be NULL) their gradient with respect
 * to x times grad_scale, both C-contiguous (R, C).  *total receives the
 * sum of the elementwise losses. */
int ib_binary_f64(const ib_binary_params *p, ib_ssize R, ib_ssize C,
                  const double *x, const ib_ssize *sx,
                  const double *y, const ib_ssize *sy,
                  const double *w, const ib_ssize *sw,
                  const double *pw, const ib_ssize *spw,
                  double *loss, double *grad, double *total);
int ib_binary_f32(const ib_binary_params *p, ib_ssize R, ib_ssize C,
                  const float *x, const ib_ssize *sx,
                  const float *y, const ib_ssize *sy,
                  const float *w, const ib_ssize *sw,
                  const float *pw, const ib_ssize *spw,
                  float *loss, float *grad, double *total);

/* Test hook: y[i] = ib_exp_scaled_f64(x[i]) (exp(x) * 2^512 for x <= 0,
 * the term of the log-sum-exp block sums), on the current SIMD path. */
void ib_vexp_scaled_f64(const double *x, double *y, ib_ssize n);
/* Test hook: y[i] = ib_exp16_scaled_f64(x[i]) through the block loop of
 * the current SIMD path (the x86-64-v4 copy permutes its table). */
void ib_vexp16_scaled_f64(const double *x, double *y, ib_ssize n);

#endif
