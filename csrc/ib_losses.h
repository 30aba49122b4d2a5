/* Multiclass losses over (N, K) row-major batches: cross-entropy (class
 * labels or soft targets, from logits or probabilities, class weights,
 * ignore_index, label smoothing), negative log-likelihood and softmax focal
 * loss, with the gradient written in the same pass over each row.
 *
 * Layout: row i of x starts at x + i*ldx and its K entries are contiguous
 * (ldx may be 0 for a broadcast row, or negative).  Gradients are written to
 * g + i*ldg (contiguous rows).  Per-row losses are computed in float64 and
 * summed in a fixed tree: IB_LOSS_ROWS rows per chunk (pairwise), chunks
 * pairwise, so the total does not depend on the thread count or SIMD path.
 *
 * Labels are int64.  A label outside [0, K) that is not the ignore value is
 * never dereferenced: the kernel returns IB_EINDEX with bad_row set to the
 * first offending row (its row loss is NaN and its gradient row zero).
 * Cross-entropy on probabilities with labels, no smoothing and no gradient
 * reads one entry per row; it checks that entry against [0, 1] in the same
 * pass and returns IB_EDOMAIN with bad_row for the first row outside it
 * (NaN passes), setting probs_checked.
 */
#ifndef IB_LOSSES_H
#define IB_LOSSES_H
#include "ib_common.h"

enum { IB_LOSS_CE = 0, IB_LOSS_NLL = 1, IB_LOSS_FOCAL = 2 };
enum { IB_IN_LOGITS = 0, IB_IN_PROBS = 1, IB_IN_LOGPROBS = 2 };

/* Rows per chunk (the unit of threading and of the summation tree): rows
 * have K entries each, so a chunk is rows, not elements; 32 keeps the
 * chunk's row losses and gathered label entries in one small stack buffer
 * and still splits 64K-element batches of short rows over the threads. */
#define IB_LOSS_ROWS 32

typedef struct {
    int kind;                 /* IB_LOSS_*                                   */
    int mode;                 /* IB_IN_*                                     */
    ib_ssize N, K;
    const void *x;            /* predictions, element type of the entry pt   */
    ib_ssize ldx;             /* row stride of x in elements                 */
    const int64_t *y;         /* (N) class labels, or NULL for soft targets  */
    const void *t;            /* soft targets (same type as x) or NULL       */
    ib_ssize ldt;
    const double *w;          /* (K) class weights or NULL                   */
    double wsum;              /* sum of w (K when w is NULL)                 */
    int has_ignore;
    int64_t ignore;
    double eps;               /* label smoothing                             */
    double gamma;             /* focal                                       */
    double alpha;             /* focal, scalar alpha (alpha_v NULL)          */
    const double *alpha_v;    /* focal, (K) alpha or NULL                    */
    double gscale;            /* factor applied to every gradient entry      */
    void *g;                  /* gradient out (same type as x) or NULL       */
    ib_ssize ldg;
    double *rows;             /* (N) per-row losses out, or NULL             */
    /* outputs */
    double total;             /* sum of the per-row losses (nats)            */
    ib_ssize bad_row;         /* first row with an invalid label (or, with
                                 IB_EDOMAIN, probability), or -1             */
    int probs_checked;        /* 1 when the kernel checked every probability
                                 it read against [0, 1] (IB_EDOMAIN)         */
    ib_ssize nvalid;          /* rows with a non-ignored label (labels only;
                                 -1 with soft targets)                       */
} ib_loss_args;

int ib_loss_f64(ib_loss_args *a);
int ib_loss_f32(ib_loss_args *a);

/* Pre-pass over labels: *den = sum of w[y_i] (or the count) over the
 * non-ignored rows, *nvalid = their number.  Returns IB_EINDEX with
 * *bad_row set for a label outside [0, K). */
int ib_label_denominator(ib_ssize N, ib_ssize K, const int64_t *y,
                         const double *w, int has_ignore, int64_t ignore,
                         double *den, ib_ssize *nvalid, ib_ssize *bad_row);

#endif
