/* The kernel engine (see ib_engine.h): the reduction driver and the thread
 * policy, written once. */
#include "ib_engine.h"
#include <stdlib.h>
#include <stdint.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int ib_engine_thread_num(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

int ib_engine_threads(ib_ssize work, ib_ssize units, ib_ssize par_min)
{
    int nt = 1;
    if (work >= par_min && units > 1) {
        nt = ib_max_threads();
        if ((ib_ssize)nt > units)
            nt = (int)units;
        if (nt < 1)
            nt = 1;
    }
    return nt;
}

double ib_pairwise_sum_strided(const double *s, ib_ssize n, ib_ssize stride)
{
    if (n <= 8) {
        double acc = 0.0;
        for (ib_ssize i = 0; i < n; i++)
            acc += s[i * stride];
        return acc;
    }
    ib_ssize h = n / 2;
    return ib_pairwise_sum_strided(s, h, stride)
         + ib_pairwise_sum_strided(s + h * stride, n - h, stride);
}

/* Partials of small jobs live on the stack (no malloc per call): 2 KB holds
 * 256 double partials, a 2M-element reduction's chunks. */
#define IB_ENGINE_STACK 2048

int ib_engine_run(const ib_engine_job *job, ib_ssize *flag)
{
    const ib_ssize groups = job->groups, nch = job->nch;
    const ib_ssize units = groups * nch;
    const size_t ps = job->part_size;
    double stack[IB_ENGINE_STACK / sizeof(double)];
    char *parts = NULL;
    ib_ssize bad = -1;
    if (flag != NULL)
        *flag = -1;
    if (units <= 0)
        return IB_OK;
    if (ps > 0) {
        size_t bytes = (size_t)units * ps;
        if (bytes <= sizeof(stack)) {
            parts = (char *)stack;
        } else {
            parts = (char *)malloc(bytes);
            if (parts == NULL)
                return IB_ENOMEM;
        }
    }
    const ib_engine_unit_fn unit = job->unit;
    void *ctx = job->ctx;
    const int nt = ib_engine_threads(job->work, units, job->par_min);
    if (nt <= 1) {
        for (ib_ssize u = 0; u < units; u++) {
            ib_ssize g = u / nch, ci = u - g * nch;
            ib_ssize b = unit(ctx, g, ci, ps ? parts + (size_t)u * ps : NULL);
            if (b >= 0 && (bad < 0 || b < bad))
                bad = b;
        }
    } else {
        ib_ssize lo = PTRDIFF_MAX;   /* min over the units' positions */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) reduction(min : lo)
#endif
        for (ib_ssize u = 0; u < units; u++) {
            ib_ssize g = u / nch, ci = u - g * nch;
            ib_ssize b = unit(ctx, g, ci, ps ? parts + (size_t)u * ps : NULL);
            if (b >= 0 && b < lo)
                lo = b;
        }
        bad = lo < PTRDIFF_MAX ? lo : -1;
    }
    if (job->done != NULL)
        for (ib_ssize g = 0; g < groups; g++)
            job->done(ctx, g, ps ? parts + (size_t)(g * nch) * ps : NULL, nch);
    if (parts != NULL && parts != (char *)stack)
        free(parts);
    if (flag != NULL)
        *flag = bad;
    return IB_OK;
}
