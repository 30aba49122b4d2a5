/* The kernel engine: one reduction driver and one thread policy for every
 * compiled loop.
 *
 * A job is `groups` independent results (rows of a softmax, kept positions
 * of a reduction, the single total of a loss), each split into `nch` chunks
 * at fixed boundaries.  Unit u = g * nch + ci runs unit(ctx, g, ci, part),
 * where part points at the unit's own partial (part_size bytes, NULL when
 * part_size is 0).  The units run in an OpenMP `parallel for` (static
 * schedule) when the thread policy allows, else in a plain loop.  After all
 * units, done(ctx, g, parts, nch) runs serially for each group, in group
 * order, over that group's nch partials (its fixed combination tree:
 * pairwise, or a max, or a log-sum-exp merge).  The partials of a group
 * therefore combine in an order fixed by the chunk boundaries alone, so
 * results are bitwise identical for any thread count.
 *
 * A unit returns -1, or a non-negative position of an error (a bad row, or
 * 0 for "some value was invalid"); ib_engine_run stores the smallest such
 * position in *flag (-1 if none), whatever the thread count.
 *
 * Switching a kernel file onto the engine: write the per-chunk body as a
 * unit function over a context struct, the combination as a done function,
 * fill an ib_engine_job and call ib_engine_run (see ib_numerics.c and
 * ib_losses.c).
 */
#ifndef IB_ENGINE_H
#define IB_ENGINE_H
#include "ib_common.h"

typedef ib_ssize (*ib_engine_unit_fn)(void *ctx, ib_ssize g, ib_ssize ci,
                                      void *part);
typedef void (*ib_engine_done_fn)(void *ctx, ib_ssize g, void *parts,
                                  ib_ssize nch);

typedef struct {
    ib_ssize groups;          /* independent results                       */
    ib_ssize nch;             /* chunks per group (>= 1)                   */
    size_t part_size;         /* bytes per unit partial; 0: none           */
    ib_ssize work;            /* cost estimate in element operations       */
    ib_ssize par_min;         /* the kernel's parallel threshold (work)    */
    ib_engine_unit_fn unit;
    ib_engine_done_fn done;   /* may be NULL                               */
    void *ctx;                /* units only read it; done may write */
} ib_engine_job;

/* Run a job.  IB_OK, or IB_ENOMEM if the partials could not be allocated
 * (nothing has run then). */
int ib_engine_run(const ib_engine_job *job, ib_ssize *flag);

/* Pairwise sum of n partials s[0], s[stride], ... with the fixed tree of
 * ib_pairwise_sum (the same bits for stride 1). */
double ib_pairwise_sum_strided(const double *s, ib_ssize n, ib_ssize stride);

/* The thread policy: how many threads a loop over `units` independent work
 * units of total cost `work` may use.  1 below par_min (the region's fork
 * and join would not be repaid), else OpenMP's max threads
 * (set_num_threads / threadpoolctl), at most one per unit. */
int ib_engine_threads(ib_ssize work, ib_ssize units, ib_ssize par_min);

/* The calling thread's number inside a job's units, in [0, threads the
 * policy gave the job): for per-thread scratch (0 outside a parallel
 * region).  Results must not depend on it. */
int ib_engine_thread_num(void);

/* Parallel thresholds, in the work units each kernel passes.  A libgomp
 * parallel region costs ~1 us to fork and join when a core is idle, and a
 * thread that is descheduled on a busy machine costs far more (a mean of
 * 70-300 us was measured on the shared 2-core EPYC); each threshold puts
 * ~50 us of single-thread work in a region.
 *
 * IB_PAR_THRESHOLD (ib_common.h, 65536): the default, in elements, for
 * kernels that spend one vector log/exp term (~0.5-1 ns) per element. */

/* In elements, for kernels with two or three vector log/exp per element
 * (softplus: exp and log1p; binary losses: log and log1p, or exp and
 * log1p, plus the gradient): half the default covers the same time. */
#define IB_PAR_TWO_TERMS 32768

/* In rows, for the label-only pass of cross-entropy on probabilities with
 * hard labels: one gathered entry and one log per row, ~3-4 ns a row (the
 * row's cache line comes from memory), so 16K rows ~ 50-60 us. */
#define IB_PAR_ROWS_GATHER 16384

#endif
