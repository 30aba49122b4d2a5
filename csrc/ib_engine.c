/* The kernel engine (see ib_engine.h): the reduction driver, the thread
 * policy and the worker pool, written once.
 *
 * The pool (POSIX threads).  One per process, in the shared ib_state.  A
 * caller takes the pool (a compare-and-swap on `owner`; if another caller
 * has it, the job runs on the caller's thread alone), starts the workers it
 * lacks, posts the job under the mutex (gen++, open = 1) and broadcasts
 * `wake`, then claims units itself (its own range of the units, then the
 * backs of the others': ib_claim).  A
 * worker that wakes while the job is open and has room (joined < want)
 * joins it (joined++, inside++), claims units until none remain, then
 * leaves (inside--).  When the caller has no unit left to claim it closes
 * the job (open = 0: nobody joins any more) and waits, sleeping on `left`,
 * until inside == 0, i.e. until the units that joined workers had started
 * are finished; a worker that was not scheduled in time never joined and is
 * not waited for.  Units and partials are then complete, and done runs on
 * the caller.  Idle workers sleep on `wake` (no spinning).  After fork() the
 * child resets the pool (its workers do not exist there) and starts new
 * ones when it needs them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1      /* CLOCK_MONOTONIC_COARSE */
#endif
#include "ib_engine.h"
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#if IB_POOL && defined(__linux__)
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif
#if IB_POOL
#include <signal.h>
#endif

/* The thread number of the calling thread inside a job (per module: a
 * worker started by another module's copy of this file sets this module's
 * copy through the job's set_tid). */
#if IB_POOL
static __thread int ib_tid = 0;

static void ib_set_tid(int t)
{
    ib_tid = t;
}
#endif

int ib_engine_thread_num(void)
{
#if IB_POOL
    return ib_tid;
#elif defined(_OPENMP)
    return omp_get_thread_num();
#else
    return 0;
#endif
}

void ib_engine_set_adapt(int on)
{
    IB_ASTORE(&ib_state_get()->adapt, on ? 1 : 0);
}

int ib_engine_get_adapt(void)
{
    return IB_ALOAD(&ib_state_get()->adapt);
}

/* CPUs not taken by other runnable threads, sampled at most every 20 ms;
 * a large number where that cannot be known. */
static int ib_idle_cpus(void)
{
#if IB_POOL && defined(__linux__)
    ib_state *S = ib_state_get();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    long long then = __atomic_load_n(&S->idle_stamp, __ATOMIC_ACQUIRE);
    if (then != 0 && now - then < 20 && now >= then)
        return IB_ALOAD(&S->idle_cpus);
    int idle = 1 << 20;
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[128];
        ssize_t k = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (k > 0) {
            buf[k] = 0;
            /* "0.52 0.58 0.59 3/467 12345": runnable/total after 3 fields */
            const char *q = buf;
            for (int f = 0; f < 3 && q != NULL; f++) {
                q = strchr(q, ' ');
                if (q != NULL)
                    q++;
            }
            long r = q != NULL ? strtol(q, NULL, 10) : 0;
            long cpus = sysconf(_SC_NPROCESSORS_ONLN);
            if (r > 0 && cpus > 0)
                idle = (int)(cpus - r + 1);
        }
    }
    IB_ASTORE(&S->idle_cpus, idle);
    __atomic_store_n(&S->idle_stamp, now, __ATOMIC_RELEASE);
    return idle;
#else
    return 1 << 20;
#endif
}

int ib_engine_threads(ib_ssize work, ib_ssize units, ib_ssize par_min)
{
    int nt = 1;
    if (work >= par_min && units > 1) {
        nt = ib_max_threads();
        if ((ib_ssize)nt > units)
            nt = (int)units;
        if (nt > 1 && IB_ALOAD(&ib_state_get()->adapt)) {
            int idle = ib_idle_cpus();
            if (nt > idle)
                nt = idle;
        }
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

/* One job in flight: what the caller and the workers that join it share. */
typedef struct ib_run {
    const ib_engine_job *job;
    char *parts;
    ib_ssize units;
    ib_ssize bad;             /* smallest error position (under the mutex) */
    void (*set_tid)(int);     /* the calling module's thread-number setter */
} ib_run;

static inline ib_ssize ib_unit_at(const ib_engine_job *job, char *parts,
                                  ib_ssize u)
{
    const ib_ssize nch = job->nch;
    const size_t ps = job->part_size;
    ib_ssize g = u / nch, ci = u - g * nch;
    return job->unit(job->ctx, g, ci, ps ? parts + (size_t)u * ps : NULL);
}

#if IB_POOL

/* Run unit u; keep the smallest error position. */
static inline void ib_run_one(ib_run *r, ib_ssize u, ib_ssize *bad)
{
    ib_ssize b = ib_unit_at(r->job, r->parts, u);
    if (b >= 0 && (*bad < 0 || b < *bad))
        *bad = b;
}

/* One unit of range *v: its first (back = 0) or its last; -1 when empty. */
static inline ib_ssize ib_take(uint64_t *v, int back)
{
    uint64_t cur = __atomic_load_n(v, __ATOMIC_RELAXED);
    for (;;) {
        uint32_t lo = (uint32_t)cur, hi = (uint32_t)(cur >> 32);
        if (lo >= hi)
            return -1;
        uint64_t nxt = back ? ((uint64_t)(hi - 1) << 32) | lo
                            : ((uint64_t)hi << 32) | (uint64_t)(lo + 1);
        if (__atomic_compare_exchange_n(v, &cur, nxt, 1, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED))
            return back ? (ib_ssize)(hi - 1) : (ib_ssize)lo;
    }
}

/* Claim units until none remain; the smallest error position among them.
 * With ranges, thread tid runs its own range from the front, then the
 * other ranges from their backs, one unit at a time (so a thread that the
 * OS has descheduled holds up at most the unit it is in). */
static ib_ssize ib_claim(ib_pool *P, ib_run *r, int tid)
{
    ib_ssize bad = -1;
    int nr = P->nrng;
    if (nr == 0) {
        for (;;) {
            ib_ssize u = __atomic_fetch_add(&P->next, 1, __ATOMIC_RELAXED);
            if (u >= r->units)
                break;
            ib_run_one(r, u, &bad);
        }
        return bad;
    }
    int t = tid % nr;
    for (int k = 0; k < nr; k++) {
        uint64_t *v = &P->rng[(t + k) % nr].v;
        ib_ssize u;
        while ((u = ib_take(v, k != 0)) >= 0)
            ib_run_one(r, u, &bad);
    }
    return bad;
}

static void *ib_worker(void *arg)
{
    ib_pool *P = (ib_pool *)arg;
    pthread_mutex_lock(&P->mu);
    unsigned long seen = P->gen - 1;   /* the job being posted is new */
    for (;;) {
        while (P->gen == seen)
            pthread_cond_wait(&P->wake, &P->mu);
        seen = P->gen;
        if (!P->open || P->joined >= P->want)
            continue;
        int tid = ++P->joined;
        P->inside++;
        ib_run *r = P->run;
        pthread_mutex_unlock(&P->mu);
        r->set_tid(tid);
        ib_ssize b = ib_claim(P, r, tid);
        r->set_tid(0);
        pthread_mutex_lock(&P->mu);
        if (b >= 0 && (r->bad < 0 || b < r->bad))
            r->bad = b;
        if (--P->inside == 0 && !P->open)
            pthread_cond_signal(&P->left);
    }
    return NULL;
}

static void ib_fork_prepare(void)
{
    pthread_mutex_lock(&ib_state_get()->pool.mu);
}

static void ib_fork_parent(void)
{
    pthread_mutex_unlock(&ib_state_get()->pool.mu);
}

static void ib_fork_child(void)
{
    ib_pool *P = &ib_state_get()->pool;
    pthread_mutex_init(&P->mu, NULL);
    pthread_cond_init(&P->wake, NULL);
    pthread_cond_init(&P->left, NULL);
    P->owner = 0;
    P->started = 0;
    P->open = 0;
    P->want = P->joined = P->inside = 0;
    P->run = NULL;
}

/* Start workers until `need` run (under the mutex); fewer if the system
 * refuses threads.  Workers block every signal (Python handles them on its
 * main thread). */
static void ib_start_workers(ib_pool *P, int need)
{
    if (!P->atfork) {
        P->atfork = 1;
        pthread_atfork(ib_fork_prepare, ib_fork_parent, ib_fork_child);
    }
    if (P->started >= need)
        return;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    while (P->started < need) {
        pthread_t th;
        if (pthread_create(&th, &at, ib_worker, P) != 0)
            break;
        P->started++;
    }
    pthread_attr_destroy(&at);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Run the units on the pool with up to nt threads (the caller included);
 * 0 if the pool was busy (nothing has run then). */
static int ib_pool_run(ib_run *r, int nt)
{
    ib_pool *P = &ib_state_get()->pool;
    int zero = 0;
    if (!__atomic_compare_exchange_n(&P->owner, &zero, 1, 0, __ATOMIC_ACQUIRE,
                                      __ATOMIC_RELAXED))
        return 0;
    pthread_mutex_lock(&P->mu);
    ib_start_workers(P, nt - 1);
    P->run = r;
    P->want = nt - 1;
    P->joined = 0;
    P->inside = 0;
    __atomic_store_n(&P->next, 0, __ATOMIC_RELAXED);
    if (nt <= IB_POOL_RANGES && r->units < ((ib_ssize)1 << 31)) {
        P->nrng = nt;
        for (int t = 0; t < nt; t++) {
            uint64_t lo = (uint64_t)(r->units * t / nt);
            uint64_t hi = (uint64_t)(r->units * (t + 1) / nt);
            __atomic_store_n(&P->rng[t].v, lo | (hi << 32), __ATOMIC_RELAXED);
        }
    } else {
        P->nrng = 0;
    }
    P->open = 1;
    P->gen++;
    pthread_mutex_unlock(&P->mu);
    pthread_cond_broadcast(&P->wake);

    int saved = ib_tid;
    ib_tid = 0;
    ib_ssize b = ib_claim(P, r, 0);
    ib_tid = saved;

    pthread_mutex_lock(&P->mu);
    P->open = 0;
    while (P->inside > 0)
        pthread_cond_wait(&P->left, &P->mu);
    P->run = NULL;
    if (b >= 0 && (r->bad < 0 || b < r->bad))
        r->bad = b;
    pthread_mutex_unlock(&P->mu);
    __atomic_store_n(&P->owner, 0, __ATOMIC_RELEASE);
    return 1;
}

#endif /* IB_POOL */

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
    int nt = ib_engine_threads(job->work, units, job->par_min);
    if (job->threads > 0 && nt > job->threads)
        nt = job->threads;
    ib_run r = {job, parts, units, -1, NULL};
    int done = 0;
#if IB_POOL
    if (nt > 1) {
        r.set_tid = ib_set_tid;
        done = ib_pool_run(&r, nt);
    }
#elif defined(_OPENMP)
    if (nt > 1) {
        ib_ssize lo = PTRDIFF_MAX;   /* min over the units' positions */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(min : lo)
        for (ib_ssize u = 0; u < units; u++) {
            ib_ssize b = ib_unit_at(job, parts, u);
            if (b >= 0 && b < lo)
                lo = b;
        }
        r.bad = lo < PTRDIFF_MAX ? lo : -1;
        done = 1;
    }
#endif
    if (!done) {
#if IB_POOL
        int saved = ib_tid;   /* (a job run from inside another's unit) */
        ib_tid = 0;
#endif
        for (ib_ssize u = 0; u < units; u++) {
            ib_ssize b = ib_unit_at(job, parts, u);
            if (b >= 0 && (r.bad < 0 || b < r.bad))
                r.bad = b;
        }
#if IB_POOL
        ib_tid = saved;
#endif
    }
    if (job->done != NULL)
        for (ib_ssize g = 0; g < groups; g++)
            job->done(job->ctx, g, ps ? parts + (size_t)(g * nch) * ps : NULL, nch);
    if (parts != NULL && parts != (char *)stack)
        free(parts);
    if (flag != NULL)
        *flag = r.bad;
    return IB_OK;
}
