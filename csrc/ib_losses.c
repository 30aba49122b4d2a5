/* Multiclass losses: SIMD-path and element-type instantiation, threading,
 * the fixed summation tree, and the label pre-pass. */
#include "ib_losses.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The row kernels, once per SIMD path and element type. */
#define IB_TYPE_BODY "ib_losses_path.h"
#define IB_PATH_BODY "ib_per_type.h"
#include "ib_per_path.h"
#undef IB_TYPE_BODY

typedef ib_ssize (*ib_loss_chunk_fn)(const ib_loss_args *, ib_ssize, ib_ssize,
                                     double *);

typedef struct {
    ib_loss_args *A;     /* units read it; done writes total and nvalid */
    ib_loss_chunk_fn fn;
} ib_loss_ctx;

/* Rows [32 ch, 32 ch + 32): row losses (copied to A->rows when wanted),
 * summed pairwise into the chunk's partial part[0]; part[1] counts the rows
 * with a non-ignored label (the denominator of a mean without weights, so
 * that no separate pass over the labels is needed). */
static ib_ssize ib_loss_unit(void *vc, ib_ssize g, ib_ssize ch, void *part)
{
    const ib_loss_ctx *X = vc;
    const ib_loss_args *A = X->A;
    double rl[IB_LOSS_ROWS];
    double *p = part;
    const ib_ssize i0 = ch * IB_LOSS_ROWS;
    const ib_ssize i1 = i0 + IB_LOSS_ROWS < A->N ? i0 + IB_LOSS_ROWS : A->N;
    (void)g;
    const ib_ssize bad = X->fn(A, i0, i1, rl);
    if (A->rows)
        memcpy(A->rows + i0, rl, (size_t)(i1 - i0) * sizeof(double));
    p[0] = ib_pairwise_sum(rl, i1 - i0);
    ib_ssize cnt = i1 - i0;
    if (A->y != NULL && A->has_ignore)
        for (ib_ssize i = i0; i < i1; i++)
            cnt -= (A->y[i] == A->ignore);
    p[1] = (double)cnt;
    return bad;
}

static void ib_loss_done(void *vc, ib_ssize g, void *parts, ib_ssize nch)
{
    const ib_loss_ctx *X = vc;
    const double *p = parts;
    double cnt = 0.0;   /* integers below 2^53: exact in any order */
    (void)g;
    X->A->total = ib_pairwise_sum_strided(p, nch, 2);
    for (ib_ssize c = 0; c < nch; c++)
        cnt += p[2 * c + 1];
    X->A->nvalid = X->A->y != NULL ? (ib_ssize)cnt : -1;
}

/* Cross-entropy on probabilities with hard labels, no smoothing, no
 * gradient: only the labelled entry of each row is needed. */
static int ib_loss_label_only(const ib_loss_args *A)
{
    return A->kind == IB_LOSS_CE && A->mode == IB_IN_PROBS && A->y != NULL
        && A->t == NULL && A->eps == 0.0 && A->g == NULL;
}

static int ib_loss_run(ib_loss_args *A, ib_loss_chunk_fn fn,
                       ib_loss_chunk_fn label_fn)
{
    const ib_ssize N = A->N;
    A->total = 0.0;
    A->bad_row = -1;
    A->nvalid = A->y != NULL ? 0 : -1;
    A->probs_checked = 0;
    if (N <= 0)
        return IB_OK;
    A->probs_checked = ib_loss_label_only(A);
    ib_loss_ctx X = {A, fn};
    ib_engine_job job = {1, (N + IB_LOSS_ROWS - 1) / IB_LOSS_ROWS,
                         2 * sizeof(double), N * (A->K > 1 ? A->K : 1),
                         IB_PAR_THRESHOLD, ib_loss_unit, ib_loss_done, &X};
    if (ib_loss_label_only(A)) {
        /* one gathered entry per row: the work is the rows */
        X.fn = label_fn;
        job.work = N;
        job.par_min = IB_PAR_ROWS_GATHER;
    }
    ib_ssize bad;
    int st = ib_engine_run(&job, &bad);
    if (st != IB_OK)
        return st;
    if (bad >= 0) {
        A->bad_row = bad;
        const int64_t lab = A->y ? A->y[bad] : -1;
        if (A->probs_checked && lab >= 0 && lab < (int64_t)A->K
            && !(A->has_ignore && lab == A->ignore))
            return IB_EDOMAIN;   /* a valid label whose probability is not */
        return IB_EINDEX;
    }
    return IB_OK;
}

int ib_loss_f64(ib_loss_args *a)
{
    return ib_loss_run(a, IB_PICK(ib_loss_chunk_f64),
                       IB_PICK(ib_ce_probs_label_chunk_f64));
}

int ib_loss_f32(ib_loss_args *a)
{
    return ib_loss_run(a, IB_PICK(ib_loss_chunk_f32),
                       IB_PICK(ib_ce_probs_label_chunk_f32));
}

/* Labels per block of the weighted denominator: its per-block sums are
 * then combined pairwise (a fixed tree, as the losses); 256 labels = 2 KB. */
#define IB_DEN_BLOCK 256

int ib_label_denominator(ib_ssize N, ib_ssize K, const int64_t *y,
                         const double *w, int has_ignore, int64_t ignore,
                         double *den, ib_ssize *nvalid, ib_ssize *bad_row)
{
    *den = 0.0;
    *nvalid = 0;
    *bad_row = -1;
    if (N <= 0)
        return IB_OK;
    const ib_ssize nb = (N + IB_DEN_BLOCK - 1) / IB_DEN_BLOCK;
    double one = 0.0;
    double *part = &one;
    if (w != NULL && nb > 1) {
        part = (double *)malloc((size_t)nb * sizeof(double));
        if (part == NULL)
            return IB_ENOMEM;
    }
    ib_ssize cnt = 0;
    if (w == NULL) {
        /* Count only: a branch-free pass per block (no early exit); a
         * block with a bad label is scanned again for the first one. */
        const uint64_t uK = (uint64_t)K;
        for (ib_ssize b = 0; b < nb; b++) {
            const ib_ssize i0 = b * IB_DEN_BLOCK;
            const ib_ssize i1 = i0 + IB_DEN_BLOCK < N ? i0 + IB_DEN_BLOCK : N;
            const int64_t *restrict yb = y + i0;
            const int m = (int)(i1 - i0);
            int64_t c = 0, nbad = 0;
#pragma omp simd reduction(+ : c, nbad)
            for (int i = 0; i < m; i++) {
                const int64_t lab = yb[i];
                const int64_t ig = has_ignore & (lab == ignore);
                c += 1 - ig;
                nbad += (1 - ig) & ((uint64_t)lab >= uK);
            }
            if (nbad) {
                for (int i = 0; i < m; i++)
                    if (!(has_ignore && yb[i] == ignore)
                        && (yb[i] < 0 || yb[i] >= (int64_t)K)) {
                        *bad_row = i0 + i;
                        return IB_EINDEX;
                    }
            }
            cnt += (ib_ssize)c;
        }
        *nvalid = cnt;
        *den = (double)cnt;
        return IB_OK;
    }
    for (ib_ssize b = 0; b < nb; b++) {
        const ib_ssize i0 = b * IB_DEN_BLOCK;
        const ib_ssize i1 = i0 + IB_DEN_BLOCK < N ? i0 + IB_DEN_BLOCK : N;
        double s = 0.0;
        for (ib_ssize i = i0; i < i1; i++) {
            const int64_t lab = y[i];
            if (has_ignore && lab == ignore)
                continue;
            if (lab < 0 || lab >= (int64_t)K) {
                if (part != &one)
                    free(part);
                *bad_row = i;
                return IB_EINDEX;
            }
            cnt++;
            if (w != NULL)
                s += w[lab];
        }
        if (w != NULL)
            part[b] = s;
    }
    *nvalid = cnt;
    if (w != NULL) {
        *den = ib_pairwise_sum(part, nb);
        if (part != &one)
            free(part);
    } else {
        *den = (double)cnt;
    }
    return IB_OK;
}
