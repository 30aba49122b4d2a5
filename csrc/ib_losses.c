/* Multiclass losses: SIMD-path and element-type instantiation, threading,
 * the fixed summation tree, and the label pre-pass. */
#include "ib_losses.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The row kernels, once per SIMD path and element type. */
#define IB_TYPE_BODY "ib_losses_impl.h"
#define IB_PATH_BODY "ib_per_type.h"
#include "ib_per_path.h"
#undef IB_TYPE_BODY

typedef ib_ssize (*ib_loss_chunk_fn)(const ib_loss_args *, ib_ssize, ib_ssize,
                                     double *);

typedef struct {
    const ib_loss_args *A;
    ib_loss_chunk_fn fn;
    double *total;
} ib_loss_ctx;

/* Rows [32 ch, 32 ch + 32): row losses (copied to A->rows when wanted),
 * summed pairwise into the chunk's partial. */
static ib_ssize ib_loss_unit(void *vc, ib_ssize g, ib_ssize ch, void *part)
{
    const ib_loss_ctx *X = vc;
    const ib_loss_args *A = X->A;
    double rl[IB_LOSS_ROWS];
    const ib_ssize i0 = ch * IB_LOSS_ROWS;
    const ib_ssize i1 = i0 + IB_LOSS_ROWS < A->N ? i0 + IB_LOSS_ROWS : A->N;
    (void)g;
    const ib_ssize bad = X->fn(A, i0, i1, rl);
    if (A->rows)
        memcpy(A->rows + i0, rl, (size_t)(i1 - i0) * sizeof(double));
    *(double *)part = ib_pairwise_sum(rl, i1 - i0);
    return bad;
}

static void ib_loss_done(void *vc, ib_ssize g, void *parts, ib_ssize nch)
{
    const ib_loss_ctx *X = vc;
    (void)g;
    *X->total = ib_pairwise_sum((const double *)parts, nch);
}

static int ib_loss_run(ib_loss_args *A, ib_loss_chunk_fn fn)
{
    const ib_ssize N = A->N;
    A->total = 0.0;
    A->bad_row = -1;
    if (N <= 0)
        return IB_OK;
    ib_loss_ctx X = {A, fn, &A->total};
    ib_engine_job job = {1, (N + IB_LOSS_ROWS - 1) / IB_LOSS_ROWS,
                         sizeof(double), N * (A->K > 1 ? A->K : 1),
                         IB_PAR_THRESHOLD, ib_loss_unit, ib_loss_done, &X};
    ib_ssize bad;
    int st = ib_engine_run(&job, &bad);
    if (st != IB_OK)
        return st;
    if (bad >= 0) {
        A->bad_row = bad;
        return IB_EINDEX;
    }
    return IB_OK;
}

int ib_loss_f64(ib_loss_args *a)
{
    return ib_loss_run(a, IB_PICK(ib_loss_chunk_f64));
}

int ib_loss_f32(ib_loss_args *a)
{
    return ib_loss_run(a, IB_PICK(ib_loss_chunk_f32));
}

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
