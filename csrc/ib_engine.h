/* The kernel engine: one reduction driver and one thread policy for every
 * compiled loop.
 *
 * A job is `groups` independent results (rows of a softmax, kept positions
 * of a reduction, the single total of a loss), each split into `nch` chunks
 * at fixed boundaries.  Unit u = g * nch + ci runs unit(ctx, g, ci, part),
 * where part points at the unit's own partial (part_size bytes, NULL when
 * part_size is 0).  The units are handed out dynamically, one at a time
 * (each thread first from its own contiguous range of them, then from the
 * far ends of the others' ranges), to the calling thread and the worker
 * threads that join it (see "Threads" below), or run in a plain loop when
 * the thread policy says 1.  After all units, done(ctx, g, parts, nch) runs
 * serially on the calling thread for each group, in group order, over that
 * group's nch partials (its fixed combination tree: pairwise, or a max, or
 * a log-sum-exp merge).  Which thread ran a unit never matters: the
 * partials of a group combine in an order fixed by the chunk boundaries
 * alone, so results are bitwise identical for any thread count.
 *
 * A unit returns -1, or a non-negative position of an error (a bad row, or
 * 0 for "some value was invalid"); ib_engine_run stores the smallest such
 * position in *flag (-1 if none), whatever the thread count.
 *
 * Switching a kernel file onto the engine: write the per-chunk body as a
 * unit function over a context struct, the combination as a done function,
 * fill an ib_engine_job and call ib_engine_run (see ib_numerics.c and
 * ib_losses.c).
 *
 * Threads.  The engine runs its own small pool of worker threads (POSIX
 * threads; OpenMP's `parallel for schedule(dynamic, 1)` where there are
 * none, e.g. on Windows), one per process: every module binds to the state
 * that _core owns (ib_state, below).  A job is posted to the pool, the
 * caller starts on the units at once, and each worker that wakes up while
 * units remain joins in; the caller waits only for units already started,
 * never for a worker that has not been scheduled yet, so a thread that the
 * OS has descheduled (a busy machine) does not hold a call up, and idle
 * workers sleep on a condition variable instead of spinning.  A job
 * posted while the pool is busy with another caller's job (several Python
 * threads calling at once) runs on its caller's thread alone.
 *
 * A kernel outside the engine that wants threads must respect the same
 * policy: run its work as engine units (a job with done = NULL is a map),
 * or at least take its thread count from ib_engine_threads(work, units,
 * par_min) (which reads the process-wide setting, ib_max_threads()), never
 * from omp_get_max_threads().
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
    int threads;              /* > 0: at most this many threads (a job whose
                               * units index per-thread scratch passes the
                               * ib_engine_threads() it sized it with)    */
} ib_engine_job;

/* Run a job.  IB_OK, or IB_ENOMEM if the partials could not be allocated
 * (nothing has run then). */
int ib_engine_run(const ib_engine_job *job, ib_ssize *flag);

/* Pairwise sum of n partials s[0], s[stride], ... with the fixed tree of
 * ib_pairwise_sum (the same bits for stride 1). */
double ib_pairwise_sum_strided(const double *s, ib_ssize n, ib_ssize stride);

/* The thread policy: how many threads a loop over `units` independent work
 * units of total cost `work` may use.  1 below par_min (waking workers
 * would not be repaid), else the process-wide setting ib_max_threads()
 * (infobits.set_num_threads / threadpoolctl), at most one per unit, and
 * (unless adapting is off) at most the CPUs not taken by other runnable
 * threads, 1 + online CPUs - runnable threads (Linux: /proc/loadavg, the
 * caller counted, sampled at most every 20 ms): on a busy machine a thread
 * beyond them gains no CPU time, and loses the call time slices. */
int ib_engine_threads(ib_ssize work, ib_ssize units, ib_ssize par_min);

/* The calling thread's number inside a job's units, in [0, threads the
 * policy gave the job): for per-thread scratch (0 outside a job).  Results
 * must not depend on it. */
int ib_engine_thread_num(void);

/* Parallel thresholds, in the work units each kernel passes.  Waking a
 * sleeping worker costs a few us when a core is idle (it then helps with
 * what remains), and nothing more than the post when the worker is
 * descheduled (the caller goes on alone); each threshold puts ~50 us of
 * single-thread work in a job.
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

/* The process-wide state (one per process, owned by _core, see
 * ib_dispatch.c): the SIMD path, the thread setting and the worker pool. */
#if defined(_OPENMP) && !defined(_WIN32)
#define IB_POOL 1          /* the engine's own POSIX-thread pool */
#include <pthread.h>
#else
#define IB_POOL 0
#endif

/* Atomic int loads and stores, and the export of the threadpoolctl hooks. */
#if defined(__GNUC__) || defined(__clang__)
#define IB_ALOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define IB_ASTORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define IB_EXPORT __attribute__((visibility("default")))
#else   /* MSVC: aligned int accesses are atomic; there is no pool there */
#define IB_ALOAD(p) (*(volatile int *)(p))
#define IB_ASTORE(p, v) (*(volatile int *)(p) = (v))
#define IB_EXPORT __declspec(dllexport)
#endif

struct ib_run;

/* Threads of a job each start on their own contiguous range of its units
 * (a hardware prefetcher sees one stream per thread), then take what is
 * left of the others' ranges from their far ends. */
#define IB_POOL_RANGES 64

typedef struct {
#if IB_POOL
    pthread_mutex_t mu;
    pthread_cond_t wake;      /* idle workers sleep here                  */
    pthread_cond_t left;      /* the caller waits here for the last worker */
#endif
    int owner;                /* 1 while a caller runs a job on the pool  */
    int started;              /* workers started                          */
    unsigned long gen;        /* bumped for every job posted              */
    int open;                 /* 1 while workers may join the job         */
    int want;                 /* workers the job may take (threads - 1)   */
    int joined;               /* workers that joined it                   */
    int inside;               /* workers that joined and have not left    */
    int atfork;               /* fork handlers registered                 */
    struct ib_run *run;       /* the job being run                        */
    char pad_[64];
    ib_ssize next;            /* the next unit to hand out (atomic), when
                               * nrng is 0                                */
    char pad2_[64];
    int nrng;                 /* ranges of the job's units (0: one counter) */
    struct {                  /* range t: [lo, hi) packed lo | hi << 32,   */
        uint64_t v;           /* claimed from the front by thread t, from  */
        char pad_[56];        /* the back by the others (atomic)           */
    } rng[IB_POOL_RANGES];
} ib_pool;

struct ib_state {
    int simd_level;           /* -1 until chosen                          */
    int nthreads;             /* the thread setting; 0: not set yet       */
    int adapt;                /* 1: no more threads than idle CPUs        */
    int idle_cpus;            /* the last sample (ib_engine.c)            */
    long long idle_stamp;     /* its time, ms (CLOCK_MONOTONIC_COARSE)    */
    ib_pool pool;
};

/* Whether the thread policy caps a job's threads at the CPUs that are idle
 * (1, the default) or uses the setting as is (0). */
void ib_engine_set_adapt(int on);
int ib_engine_get_adapt(void);

#endif
