/* Shared definitions for the infobits C kernels.
 *
 * Conventions: public symbols are prefixed ib_, typed entry points end in
 * _f64/_f32.  Kernels never call back into Python and never allocate through
 * Python; they report problems through an int status (IB_OK on success).
 */
#ifndef IB_COMMON_H
#define IB_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef ptrdiff_t ib_ssize;

/* Status codes returned by kernels; turned into exceptions by Cython. */
enum {
    IB_OK = 0,
    IB_EINVAL = 1,   /* invalid input value under nan_policy="raise" */
    IB_ENOMEM = 2,   /* a scratch allocation failed */
    IB_EINDEX = 3,   /* a class label outside [0, K) */
    IB_EDOMAIN = 4   /* a probability read by a loss outside [0, 1] */
};

/* SIMD paths.  Each kernel file is compiled once per path and dispatched at
 * run time through ib_simd_level().  The paths run the same IEEE operations
 * in the same order (no contraction into FMA, -ffp-contract=off), so their
 * results are bitwise identical; they differ in vector width and in the
 * instructions available for the integer and select steps. */
enum { IB_SIMD_BASELINE = 0, IB_SIMD_X86_64_V3 = 1, IB_SIMD_X86_64_V4 = 2,
       IB_SIMD_NLEVELS = 3 };

#if defined(__GNUC__) && defined(__x86_64__) && !defined(IB_NO_MULTIVERSION)
#define IB_HAVE_V3 1
#else
#define IB_HAVE_V3 0
#endif

/* IB_V3_BEGIN ... IB_V3_END enclose the code compiled for the x86-64-v3
 * path (AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C); IB_V4_BEGIN ... IB_V4_END
 * the x86-64-v4 path (v3 plus AVX-512 F/DQ/CD/BW/VL, 512-bit vectors under
 * GCC).  GCC takes a target pragma; clang ignores "#pragma GCC target" (the
 * functions would silently be baseline code), so there every function in
 * the region gets the target attribute instead. */
#define IB_V3_FEATURES_ "avx,avx2,fma,bmi,bmi2,lzcnt,movbe,f16c,popcnt"
#define IB_V4_FEATURES_ IB_V3_FEATURES_ ",avx512f,avx512dq,avx512cd,avx512bw,avx512vl"
#define IB_PRAGMA_(x) _Pragma(#x)
#if IB_HAVE_V3 && defined(__clang__)
#define IB_TARGET_BEGIN_(f) \
    IB_PRAGMA_(clang attribute push(__attribute__((target(f))), apply_to = function))
#define IB_TARGET_END_ _Pragma("clang attribute pop")
#define IB_V3_BEGIN IB_TARGET_BEGIN_(IB_V3_FEATURES_)
#define IB_V4_BEGIN IB_TARGET_BEGIN_(IB_V4_FEATURES_)
#elif IB_HAVE_V3
#define IB_TARGET_BEGIN_(f) _Pragma("GCC push_options") IB_PRAGMA_(GCC target(f))
#define IB_TARGET_END_ _Pragma("GCC pop_options")
#define IB_V3_BEGIN IB_TARGET_BEGIN_(IB_V3_FEATURES_)
/* 512-bit vectors: GCC's generic tuning prefers 256 bits with AVX-512 */
#define IB_V4_BEGIN IB_TARGET_BEGIN_(IB_V4_FEATURES_ ",prefer-vector-width=512")
#endif
#define IB_V3_END IB_TARGET_END_
#define IB_V4_END IB_TARGET_END_

#if defined(__GNUC__)
#define IB_NOINLINE __attribute__((noinline))
#else
#define IB_NOINLINE
#endif

/* Above this many elements a call may use several threads: 64K
 * vector log/exp terms are ~50 us, against ~1 us for a parallel region's
 * fork and join on idle cores.  The thread policy and the per-kernel
 * thresholds are in ib_engine.h. */
#define IB_PAR_THRESHOLD 65536

int ib_simd_level(void);
int ib_simd_available(int level);
int ib_set_simd_level(int level);     /* 0 on success, -1 if unavailable */
const char *ib_simd_name(int level);
/* The process-wide state (SIMD path, thread setting, the engine's worker
 * pool; defined in ib_engine.h): each module links its own copy of
 * ib_dispatch.c, _core owns the state and the others bind to it. */
typedef struct ib_state ib_state;
ib_state *ib_state_own(void);         /* this module's own state */
void ib_state_bind(ib_state *shared); /* use another module's state */
ib_state *ib_state_get(void);         /* the state in use */
int ib_max_threads(void);             /* the process-wide thread setting */
void ib_set_max_threads(int n);       /* set it (n >= 1), for every thread */
int ib_openmp_enabled(void);

/* Pairwise sum of n doubles with a fixed tree (deterministic). */
double ib_pairwise_sum(const double *s, ib_ssize n);

/* A NaN result as the one quiet NaN of math.h: the sign and payload of a
 * NaN that comes out of a sum depend on the operand order the compiler chose
 * for each SIMD path (clang and gcc differ), and results are promised
 * bitwise identical across paths, layouts and compilers. */
static inline double ib_canon_nan(double r)
{
    return r == r ? r : (double)NAN;
}

/* The 8-lane block sum every kernel uses: acc[j] += v[i] for i = j mod 8,
 * then a fixed tree over the lanes.  The order is the same whether or not
 * the compiler vectorises it, on any SIMD path (the lanes are explicit). */
static inline void ib_lanes_acc8(double *restrict acc, const double *restrict v,
                                 int n)
{
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            acc[j] += v[i + j];
    for (int j = 0; i < n; i++, j++)
        acc[j] += v[i];
}

static inline double ib_lanes_total8(const double *acc)
{
    return ((acc[0] + acc[1]) + (acc[2] + acc[3]))
         + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static inline double ib_lanes_sum8(const double *t, int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ib_lanes_acc8(acc, t, n);
    return ib_lanes_total8(acc);
}

#endif
