/* Reductions on probability arrays: SIMD-path instantiation, threading. */
#include "ib_reduce.h"
#include "ib_vmath.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define IB_SFX _base
#include "ib_reduce_impl.h"
#undef IB_SFX

#if IB_HAVE_V3
IB_V3_BEGIN
#define IB_SFX _v3
#include "ib_reduce_impl.h"
#undef IB_SFX
IB_V3_END
#endif

#define IB_DEFINE_REDUCE(T, TS)                                               \
    typedef double (*ib_chunk_fn_##TS)(int, int, ib_ssize, ib_ssize,          \
                                       ib_ssize, ib_ssize, const T *,         \
                                       const ib_ssize *, const T *,           \
                                       const ib_ssize *, const T *,           \
                                       const ib_ssize *, double *);           \
    int ib_reduce_##TS(int term, int policy, ib_ssize K, ib_ssize R,          \
                       ib_ssize C, const T *a, const ib_ssize *sa,            \
                       const T *b, const ib_ssize *sb, const T *c,            \
                       const ib_ssize *sc, double *out)                       \
    {                                                                         \
        ib_ssize L = R * C;                                                   \
        if (K <= 0)                                                           \
            return IB_OK;                                                     \
        if (L <= 0) {                                                         \
            for (ib_ssize k = 0; k < K; k++)                                  \
                out[k] = 0.0;                                                 \
            return IB_OK;                                                     \
        }                                                                     \
        ib_chunk_fn_##TS fn = ib_chunk_##TS##_base;                           \
        if (IB_HAVE_V3 && ib_simd_level() == IB_SIMD_X86_64_V3)               \
            fn = IB_V3_CHUNK_##TS;                                            \
        ib_ssize nch = (L + IB_CHUNK - 1) / IB_CHUNK;                         \
        ib_ssize units = K * nch;                                             \
        double *partial = out;                                                \
        if (nch > 1) {                                                        \
            partial = (double *)malloc((size_t)units * sizeof(double));       \
            if (partial == NULL)                                              \
                return IB_ENOMEM;                                             \
        }                                                                     \
        int nt = 1;                                                           \
        if (K * L >= IB_PAR_THRESHOLD && units > 1) {                         \
            nt = ib_max_threads();                                            \
            if ((ib_ssize)nt > units)                                         \
                nt = (int)units;                                              \
        }                                                                     \
        double nbad = 0.0;                                                    \
        IB_OMP_FOR                                                            \
        for (ib_ssize u = 0; u < units; u++) {                                \
            ib_ssize k = u / nch, ci = u - (u / nch) * nch;                   \
            ib_ssize f0 = ci * (ib_ssize)IB_CHUNK;                            \
            ib_ssize f1 = f0 + IB_CHUNK < L ? f0 + IB_CHUNK : L;              \
            double bad = 0.0;                                                 \
            partial[u] = fn(term, policy, k, f0, f1, C, a, sa, b, sb, c, sc,  \
                            &bad);                                            \
            nbad += bad;                                                      \
        }                                                                     \
        if (nch > 1) {                                                        \
            for (ib_ssize k = 0; k < K; k++)                                  \
                out[k] = ib_pairwise_sum(partial + k * nch, nch);             \
            free(partial);                                                    \
        }                                                                     \
        return nbad > 0.0 ? IB_EINVAL : IB_OK;                                \
    }

#ifdef _OPENMP
#define IB_OMP_FOR _Pragma("omp parallel for schedule(static) num_threads(nt) reduction(+ : nbad) if (nt > 1)")
#else
#define IB_OMP_FOR
#endif

#if IB_HAVE_V3
#define IB_V3_CHUNK_f64 ib_chunk_f64_v3
#define IB_V3_CHUNK_f32 ib_chunk_f32_v3
#else
#define IB_V3_CHUNK_f64 ib_chunk_f64_base
#define IB_V3_CHUNK_f32 ib_chunk_f32_base
#endif

IB_DEFINE_REDUCE(double, f64)
IB_DEFINE_REDUCE(float, f32)

#define IB_DEFINE_VEC(name)                                                   \
    void ib_##name##_f64(const double *x, double *y, ib_ssize n)              \
    {                                                                         \
        IB_VEC_DISPATCH(name, x, y, n);                                       \
    }
#if IB_HAVE_V3
#define IB_VEC_DISPATCH(name, x, y, n)                                        \
    do {                                                                      \
        if (ib_simd_level() == IB_SIMD_X86_64_V3)                             \
            ib_##name##_v3(x, y, n);                                          \
        else                                                                  \
            ib_##name##_base(x, y, n);                                        \
    } while (0)
#else
#define IB_VEC_DISPATCH(name, x, y, n) ib_##name##_base(x, y, n)
#endif

IB_DEFINE_VEC(vlog)
IB_DEFINE_VEC(vexp)
IB_DEFINE_VEC(vlog1p)

void ib_vexp_f32(const float *x, float *y, ib_ssize n)
{
#if IB_HAVE_V3
    if (ib_simd_level() == IB_SIMD_X86_64_V3) {
        ib_vexp_f32_v3(x, y, n);
        return;
    }
#endif
    ib_vexp_f32_base(x, y, n);
}

void ib_vexp_diff_f32(const float *x, const float *m, float *y, ib_ssize n)
{
#if IB_HAVE_V3
    if (ib_simd_level() == IB_SIMD_X86_64_V3) {
        ib_vexp_diff_f32_v3(x, m, y, n);
        return;
    }
#endif
    ib_vexp_diff_f32_base(x, m, y, n);
}
