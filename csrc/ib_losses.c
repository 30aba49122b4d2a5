/* Multiclass losses: SIMD-path and element-type instantiation, threading,
 * the fixed summation tree, and the label pre-pass. */
#include "ib_losses.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define IB_SFX _base
#include "ib_losses_types.h"
#undef IB_SFX

#if IB_HAVE_V3
IB_V3_BEGIN
#define IB_SFX _v3
#include "ib_losses_types.h"
#undef IB_SFX
IB_V3_END
#endif

typedef ib_ssize (*ib_loss_chunk_fn)(const ib_loss_args *, ib_ssize, ib_ssize,
                                     double *);

static int ib_loss_run(ib_loss_args *A, ib_loss_chunk_fn fn)
{
    const ib_ssize N = A->N;
    A->total = 0.0;
    A->bad_row = -1;
    if (N <= 0)
        return IB_OK;
    const ib_ssize nch = (N + IB_LOSS_ROWS - 1) / IB_LOSS_ROWS;
    double one = 0.0;
    double *partial = &one;
    if (nch > 1) {
        partial = (double *)malloc((size_t)nch * sizeof(double));
        if (partial == NULL)
            return IB_ENOMEM;
    }
    int nt = 1;
    const ib_ssize work = N * (A->K > 1 ? A->K : 1);
    if (work >= IB_PAR_THRESHOLD && nch > 1) {
        nt = ib_max_threads();
        if ((ib_ssize)nt > nch)
            nt = (int)nch;
    }
    ib_ssize bad = N;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) reduction(min : bad) if (nt > 1)
#endif
    for (ib_ssize ch = 0; ch < nch; ch++) {
        double rl[IB_LOSS_ROWS];
        const ib_ssize i0 = ch * IB_LOSS_ROWS;
        const ib_ssize i1 = i0 + IB_LOSS_ROWS < N ? i0 + IB_LOSS_ROWS : N;
        const ib_ssize b = fn(A, i0, i1, rl);
        if (b >= 0 && b < bad)
            bad = b;
        if (A->rows)
            memcpy(A->rows + i0, rl, (size_t)(i1 - i0) * sizeof(double));
        partial[ch] = ib_pairwise_sum(rl, i1 - i0);
    }
    A->total = ib_pairwise_sum(partial, nch);
    if (nch > 1)
        free(partial);
    if (bad < N) {
        A->bad_row = bad;
        return IB_EINDEX;
    }
    return IB_OK;
}

int ib_loss_f64(ib_loss_args *a)
{
    ib_loss_chunk_fn fn = ib_loss_chunk_f64_base;
#if IB_HAVE_V3
    if (ib_simd_level() == IB_SIMD_X86_64_V3)
        fn = ib_loss_chunk_f64_v3;
#endif
    return ib_loss_run(a, fn);
}

int ib_loss_f32(ib_loss_args *a)
{
    ib_loss_chunk_fn fn = ib_loss_chunk_f32_base;
#if IB_HAVE_V3
    if (ib_simd_level() == IB_SIMD_X86_64_V3)
        fn = ib_loss_chunk_f32_v3;
#endif
    return ib_loss_run(a, fn);
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
