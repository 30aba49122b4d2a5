/* Run-time SIMD path selection and the process-wide thread setting.
 *
 * The active path is the best one the CPU supports, unless the environment
 * variable INFOBITS_SIMD names another one ("baseline", "x86-64-v3" or
 * "x86-64-v4") that it supports.
 * Each extension module links its own copy of this file, but there is one
 * state per process (struct ib_state, ib_engine.h: the SIMD path, the
 * thread setting and the engine's worker pool): infobits._core owns it
 * (ib_state_own()) and exports its address in a PyCapsule; every other
 * module binds to it at import (ib_state_bind(), done by _dispatch.pxi), so
 * a path or thread count selected through any module, from any thread, is
 * the one of all of them.
 */
#include "ib_common.h"
#include "ib_engine.h"
#include <stdlib.h>
#include <string.h>
#if IB_HAVE_V3
#include <cpuid.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

static ib_state ib_state_mine = {
    -1, 0, 1, 0, 0,
    {
#if IB_POOL
        PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
        PTHREAD_COND_INITIALIZER,
#endif
        0, 0, 0, 0, 0, 0, 0, 0, NULL, {0}, 0, {0},
    },
};
static ib_state *ib_cur = &ib_state_mine;   /* the state in use */

ib_state *ib_state_own(void)
{
    return &ib_state_mine;
}

void ib_state_bind(ib_state *shared)
{
    if (shared != NULL)
        ib_cur = shared;
}

ib_state *ib_state_get(void)
{
    return ib_cur;
}

#if IB_HAVE_V3
static int ib_have_v3(void)
{
    /* movbe, f16c and lzcnt straight from CPUID: clang (14) knows
     * neither "movbe" nor "f16c" as __builtin_cpu_supports names. */
    unsigned int a, b, c = 0, d, c8 = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    __get_cpuid(0x80000001u, &a, &b, &c8, &d);
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
        && __builtin_cpu_supports("avx") && __builtin_cpu_supports("bmi")
        && __builtin_cpu_supports("bmi2")
        && (c >> 22 & 1u) /* movbe */ && (c >> 29 & 1u) /* f16c */
        && (c8 >> 5 & 1u) /* lzcnt (abm) */;
}
#endif

int ib_simd_available(int level)
{
    if (level == IB_SIMD_BASELINE)
        return 1;
#if IB_HAVE_V3
    if (level == IB_SIMD_X86_64_V3)
        return ib_have_v3();
    if (level == IB_SIMD_X86_64_V4)
        /* (the runtime's feature bits include the OS's XCR0 support of
         * the AVX-512 register state) */
        return ib_have_v3() && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
#endif
    return 0;
}

const char *ib_simd_name(int level)
{
    switch (level) {
    case IB_SIMD_BASELINE: return "baseline";
    case IB_SIMD_X86_64_V3: return "x86-64-v3";
    case IB_SIMD_X86_64_V4: return "x86-64-v4";
    default: return "unknown";
    }
}

static int ib_default_level(void)
{
    const char *env = getenv("INFOBITS_SIMD");
    for (int lv = 0; env != NULL && lv < IB_SIMD_NLEVELS; lv++)
        if (strcmp(env, ib_simd_name(lv)) == 0 && ib_simd_available(lv))
            return lv;
    for (int lv = IB_SIMD_NLEVELS - 1; lv > 0; lv--)
        if (ib_simd_available(lv))
            return lv;
    return IB_SIMD_BASELINE;
}

int ib_simd_level(void)
{
    int lv = ib_cur->simd_level;
    if (lv < 0) {
        lv = ib_default_level();
        ib_cur->simd_level = lv;
    }
    return lv;
}

int ib_set_simd_level(int level)
{
    if (level < 0 || level >= IB_SIMD_NLEVELS || !ib_simd_available(level))
        return -1;
    ib_cur->simd_level = level;
    return 0;
}

/* The thread setting is one int for the whole process, read by every
 * job (ib_engine_threads) whichever Python thread calls: Python sets it at
 * import (infobits._config: the CPUs the process may use) and through
 * set_num_threads / threadpoolctl.  Until then (a C caller), OpenMP's
 * default.  Without OpenMP the kernels are single-threaded. */
int ib_max_threads(void)
{
#ifdef _OPENMP
    int n = IB_ALOAD(&ib_cur->nthreads);
    return n > 0 ? n : omp_get_max_threads();
#else
    return 1;
#endif
}

void ib_set_max_threads(int n)
{
#ifdef _OPENMP
    if (n > 0) {
        IB_ASTORE(&ib_cur->nthreads, n);
        /* the calling thread's OpenMP setting too, for loops still on
         * OpenMP's own threads */
        omp_set_num_threads(n);
    }
#else
    (void)n;
#endif
}

/* For threadpoolctl's controller (infobits._config), which finds _core's
 * shared object by these two exported names. */
IB_EXPORT int infobits_get_num_threads(void)
{
    return ib_max_threads();
}

IB_EXPORT void infobits_set_num_threads(int n)
{
    ib_set_max_threads(n);
}

int ib_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

double ib_pairwise_sum(const double *s, ib_ssize n)
{
    if (n <= 8) {
        double acc = 0.0;
        for (ib_ssize i = 0; i < n; i++)
            acc += s[i];
        return acc;
    }
    ib_ssize h = n / 2;
    return ib_pairwise_sum(s, h) + ib_pairwise_sum(s + h, n - h);
}
