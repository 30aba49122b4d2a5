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
#define IB_IMPL_FMA 1   /* two-products by fma: the same bits as Dekker */
#include "ib_reduce_impl.h"
#undef IB_IMPL_FMA
#undef IB_SFX
IB_V3_END
#endif

#define IB_DEFINE_REDUCE(T, TS)                                               \
    typedef double (*ib_chunk_fn_##TS)(int, int, ib_ssize, ib_ssize,          \
                                       ib_ssize, ib_ssize, const T *,         \
                                       const ib_ssize *, const T *,           \
                                       const ib_ssize *, const T *,           \
                                       const ib_ssize *, double *, double *,  \
                                       double *);                             \
    int ib_reduce_margins_##TS(int term, int policy, ib_ssize K, ib_ssize R,  \
                       ib_ssize C, const T *a, const ib_ssize *sa,            \
                       const T *b, const ib_ssize *sb, const T *c,            \
                       const ib_ssize *sc, double *out, double *rowsum,       \
                       double *colsum)                                        \
    {                                                                         \
        ib_ssize L = R * C;                                                   \
        double *mg = NULL;                                                    \
        if (rowsum != NULL) {                                                 \
            for (ib_ssize r = 0; r < R; r++)                                  \
                rowsum[r] = 0.0;                                              \
            for (ib_ssize cc = 0; cc < C; cc++)                               \
                colsum[cc] = 0.0;                                             \
            if (K != 1)                                                       \
                return IB_EINVAL;                                             \
        }                                                                     \
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
        if (rowsum != NULL) {   /* per-thread margins, merged below */        \
            mg = (double *)calloc((size_t)nt * (size_t)(R + C), sizeof(double)); \
            if (mg == NULL) {                                                 \
                if (partial != out)                                           \
                    free(partial);                                            \
                return IB_ENOMEM;                                             \
            }                                                                 \
        }                                                                     \
        double nbad = 0.0;                                                    \
        IB_OMP_FOR                                                            \
        for (ib_ssize u = 0; u < units; u++) {                                \
            ib_ssize k = u / nch, ci = u - (u / nch) * nch;                   \
            ib_ssize f0 = ci * (ib_ssize)IB_CHUNK;                            \
            ib_ssize f1 = f0 + IB_CHUNK < L ? f0 + IB_CHUNK : L;              \
            double bad = 0.0;                                                 \
            double *mr = mg ? mg + (ib_ssize)IB_THREAD_NUM * (R + C) : NULL;  \
            partial[u] = fn(term, policy, k, f0, f1, C, a, sa, b, sb, c, sc,  \
                            &bad, mr, mr ? mr + R : NULL);                    \
            nbad += bad;                                                      \
        }                                                                     \
        if (mg != NULL) {                                                     \
            for (int t = 0; t < nt; t++) {                                    \
                const double *m = mg + (ib_ssize)t * (R + C);                 \
                for (ib_ssize r = 0; r < R; r++)                              \
                    rowsum[r] += m[r];                                        \
                for (ib_ssize cc = 0; cc < C; cc++)                           \
                    colsum[cc] += m[R + cc];                                  \
            }                                                                 \
            free(mg);                                                         \
        }                                                                     \
        if (nch > 1) {                                                        \
            for (ib_ssize k = 0; k < K; k++)                                  \
                out[k] = ib_pairwise_sum(partial + k * nch, nch);             \
            free(partial);                                                    \
        }                                                                     \
        return nbad > 0.0 ? IB_EINVAL : IB_OK;                                \
    }                                                                         \
    int ib_reduce_##TS(int term, int policy, ib_ssize K, ib_ssize R,          \
                       ib_ssize C, const T *a, const ib_ssize *sa,            \
                       const T *b, const ib_ssize *sb, const T *c,            \
                       const ib_ssize *sc, double *out)                       \
    {                                                                         \
        return ib_reduce_margins_##TS(term, policy, K, R, C, a, sa, b, sb, c, \
                                      sc, out, NULL, NULL);                   \
    }

#ifdef _OPENMP
#define IB_THREAD_NUM omp_get_thread_num()
#define IB_OMP_FOR _Pragma("omp parallel for schedule(static) num_threads(nt) reduction(+ : nbad) if (nt > 1)")
#else
#define IB_THREAD_NUM 0
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

/* Row and column sums of an R x C strided array (strides in elements), in
 * one pass, in a fixed order that depends only on R and C (not on the
 * strides): rowsum[r] by the blocked 8-lane sum and a pairwise tree over
 * blocks of IB_BLOCK, as the reductions do; colsum[c] by adding the rows in
 * order.  Used for marginals derived from a joint table (and to check a
 * given one against them).  Returns IB_OK or IB_ENOMEM. */
static double ib_margins_block_(const double *restrict x, double *restrict col, int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};  /* ib_lanes_sum8's lanes */
    int t = 0;
    for (; t + 8 <= n; t += 8) {
        const double *restrict g = x + t;
        double *restrict h = col + t;
#pragma omp simd
        for (int i = 0; i < 8; i++) {
            double y = g[i];
            h[i] += y;
            acc[i] += y;
        }
    }
    for (int i = 0; t < n; t++, i++) {
        col[t] += x[t];
        acc[i] += x[t];
    }
    return ib_lanes_total8(acc);
}

#define IB_DEFINE_MARGINS(T, TS, DIRECT)                                      \
    int ib_margins_##TS(ib_ssize R, ib_ssize C, const T *a, ib_ssize s0,      \
                        ib_ssize s1, double *rowsum, double *colsum)          \
    {                                                                         \
        ib_ssize nb = (C + IB_BLOCK - 1) / IB_BLOCK;                          \
        double buf[IB_BLOCK];                                                 \
        double *bs = (double *)malloc((size_t)(nb > 0 ? nb : 1) * sizeof(double)); \
        if (bs == NULL)                                                       \
            return IB_ENOMEM;                                                 \
        for (ib_ssize c = 0; c < C; c++)                                      \
            colsum[c] = 0.0;                                                  \
        for (ib_ssize r = 0; r < R; r++) {                                    \
            const T *row = a + r * s0;                                        \
            for (ib_ssize b = 0; b < nb; b++) {                               \
                ib_ssize c0 = b * IB_BLOCK;                                   \
                int n = (int)(C - c0 < IB_BLOCK ? C - c0 : IB_BLOCK);         \
                const T *src = row + c0 * s1;                                 \
                const double *x = buf;                                        \
                if (DIRECT && s1 == 1)                                        \
                    x = (const double *)src;                                  \
                else                                                          \
                    for (int j = 0; j < n; j++)                               \
                        buf[j] = (double)src[j * s1];                         \
                bs[b] = ib_margins_block_(x, colsum + c0, n);                 \
            }                                                                 \
            rowsum[r] = nb > 0 ? ib_pairwise_sum(bs, nb) : 0.0;               \
        }                                                                     \
        free(bs);                                                             \
        return IB_OK;                                                         \
    }

IB_DEFINE_MARGINS(double, f64, 1)
IB_DEFINE_MARGINS(float, f32, 0)
