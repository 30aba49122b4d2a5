/* Numerics kernels: SIMD-path instantiation, threading, combination. */
#include "ib_numerics.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Partial log-sum-exp of a run of entries: m the largest entry, c the
 * summed weights of the entries equal to m, s the sum of b exp(a - m) over
 * the others.  Keeping the max terms apart is SciPy's precision trick:
 * the result is log1p(s / c) + log|c| + m. */
typedef struct {
    double m, c, s;
} ib_lse_acc;

static inline double ib_sign(double x)
{
    return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x == 0.0 ? 0.0 : NAN;
}

/* SciPy's finalisation (scipy.special.logsumexp, 1.15+), with the direct
 * sum for non-finite results replaced by the same sum taken relative to m,
 * so that it cannot overflow. */
static void ib_lse_finish(ib_lse_acc a, double *out, double *sgn)
{
    double M = a.m, c = a.c, s = a.s, o, g;
    if (M == -INFINITY) {
        if (s != s) {
            o = NAN;
            g = NAN;
        } else {
            o = -INFINITY;
            g = 0.0;
        }
    } else {
        double sp = (s == 0.0) ? s : s / c;
        g = ib_sign(sp + 1.0) * ib_sign(c);
        if (sp < -1.0)
            sp = -sp - 2.0;
        o = ib_log1p_f64(sp) + ib_log_f64(fabs(c)) + M;
        if (!isfinite(o)) {
            double T = c + s;
            o = ib_log_f64(fabs(T)) + M;
            g = ib_sign(T);
            if (o != o)
                g = NAN;
        }
    }
    *out = o;
    if (sgn != NULL)
        *sgn = g;
}

#define IB_SFX _base
#include "ib_numerics_impl.h"
#undef IB_SFX

#if IB_HAVE_V3
IB_V3_BEGIN
#define IB_SFX _v3
#include "ib_numerics_impl.h"
#undef IB_SFX
IB_V3_END
#define IB_PICK(name) (ib_simd_level() == IB_SIMD_X86_64_V3 ? name##_v3 : name##_base)
#else
#define IB_PICK(name) (name##_base)
#endif

#ifdef _OPENMP
#define IB_OMP_FOR _Pragma("omp parallel for schedule(static) num_threads(nt) if (nt > 1)")
#define IB_OMP_FOR_NT(n) _Pragma("omp parallel for schedule(static) num_threads(nts) if (nts > 1)")
#else
#define IB_OMP_FOR
#define IB_OMP_FOR_NT(n)
#endif

static int ib_nthreads(ib_ssize work, ib_ssize units)
{
    int nt = 1;
    if (work >= IB_PAR_THRESHOLD && units > 1) {
        nt = ib_max_threads();
        if ((ib_ssize)nt > units)
            nt = (int)units;
        if (nt < 1)
            nt = 1;
    }
    return nt;
}

/* ---------------------------------------------------------------- lse -- */

void ib_vexp_scaled_f64(const double *x, double *y, ib_ssize n)
{
    if (n > 0)
        IB_PICK(nx_vexp_scaled)(x, y, n);
}

static ib_lse_acc ib_lse_combine(ib_lse_acc a, ib_lse_acc b)
{
    ib_lse_acc r;
    double M = a.m > b.m ? a.m : b.m;
    r.m = M;
    if (M == -INFINITY) {
        r.c = a.c + b.c;
        r.s = a.s + b.s;
        return r;
    }
    double sa, sb, ca = 0.0, cb = 0.0;
    if (a.m == M) {
        ca = a.c;
        sa = a.s;
    } else {
        sa = (a.c + a.s) * ib_exp_f64(a.m - M);
    }
    if (b.m == M) {
        cb = b.c;
        sb = b.s;
    } else {
        sb = (b.c + b.s) * ib_exp_f64(b.m - M);
    }
    r.c = ca + cb;
    r.s = sa + sb;
    return r;
}

static ib_lse_acc ib_lse_tree(const ib_lse_acc *p, ib_ssize n)
{
    if (n == 1)
        return p[0];
    ib_ssize h = n / 2;
    return ib_lse_combine(ib_lse_tree(p, h), ib_lse_tree(p + h, n - h));
}

#define IB_DEFINE_LSE(T, TS)                                                  \
    int ib_logsumexp_##TS(ib_ssize R, ib_ssize C, const T *a,                 \
                          const ib_ssize *sa, const T *b, const ib_ssize *sb, \
                          double *out, double *sgn)                           \
    {                                                                         \
        if (R <= 0)                                                           \
            return IB_OK;                                                     \
        if (C <= 0) {                                                         \
            for (ib_ssize r = 0; r < R; r++) {                                \
                out[r] = -INFINITY;                                           \
                if (sgn != NULL)                                              \
                    sgn[r] = 0.0;                                             \
            }                                                                 \
            return IB_OK;                                                     \
        }                                                                     \
        if (C <= IB_NX_SMALL_C) {                                             \
            /* short rows: G at a time, one vector loop per group */          \
            void (*fs)(const T *, const ib_ssize *, const T *,                \
                       const ib_ssize *, ib_ssize, ib_ssize, ib_ssize,        \
                       ib_lse_acc *) = IB_PICK(nx_lse_small_##TS);            \
            void (*ffin)(const ib_lse_acc *, int, double *, double *) =       \
                IB_PICK(nx_lse_finish_small);                                 \
            const ib_ssize G = IB_NX_BLOCK / C;                               \
            const ib_ssize ng = (R + G - 1) / G;                              \
            int nts = ib_nthreads(R * C, ng);                                 \
            IB_OMP_FOR_NT(nts)                                                \
            for (ib_ssize u = 0; u < ng; u++) {                               \
                ib_lse_acc acc[IB_NX_BLOCK];                                  \
                ib_ssize r0 = u * G, r1 = r0 + G < R ? r0 + G : R;            \
                fs(a, sa, b, sb, C, r0, r1, acc);                             \
                ffin(acc, (int)(r1 - r0), out + r0,                           \
                     sgn != NULL ? sgn + r0 : NULL);                          \
            }                                                                 \
            return IB_OK;                                                     \
        }                                                                     \
        ib_lse_acc (*fn)(const T *, ib_ssize, const T *, ib_ssize, ib_ssize,  \
                         ib_ssize) = IB_PICK(nx_lse_chunk_##TS);              \
        ib_ssize nch = (C + IB_NX_CHUNK - 1) / IB_NX_CHUNK;                   \
        ib_ssize units = R * nch;                                             \
        ib_lse_acc *acc = NULL;                                               \
        if (nch > 1) {                                                        \
            acc = (ib_lse_acc *)malloc((size_t)units * sizeof(ib_lse_acc));   \
            if (acc == NULL)                                                  \
                return IB_ENOMEM;                                             \
        }                                                                     \
        int nt = ib_nthreads(R * C, units);                                   \
        IB_OMP_FOR                                                            \
        for (ib_ssize u = 0; u < units; u++) {                                \
            ib_ssize r = u / nch, ci = u - (u / nch) * nch;                   \
            ib_ssize c0 = ci * (ib_ssize)IB_NX_CHUNK;                         \
            ib_ssize c1 = c0 + IB_NX_CHUNK < C ? c0 + IB_NX_CHUNK : C;        \
            ib_lse_acc v = fn(a + r * sa[0], sa[1],                           \
                              b != NULL ? b + r * sb[0] : NULL,               \
                              b != NULL ? sb[1] : 0, c0, c1);                 \
            if (nch == 1)                                                     \
                ib_lse_finish(v, out + r, sgn != NULL ? sgn + r : NULL);      \
            else                                                              \
                acc[u] = v;                                                   \
        }                                                                     \
        if (nch > 1) {                                                        \
            for (ib_ssize r = 0; r < R; r++)                                  \
                ib_lse_finish(ib_lse_tree(acc + r * nch, nch), out + r,       \
                              sgn != NULL ? sgn + r : NULL);                  \
            free(acc);                                                        \
        }                                                                     \
        return IB_OK;                                                         \
    }

IB_DEFINE_LSE(double, f64)
IB_DEFINE_LSE(float, f32)

/* ------------------------------------------------------------ softmax -- */

/* Rows in parallel; a few long rows (fewer than the threads) are split in
 * chunks instead, with the chunk sums added in the same order as the
 * row-at-a-time path, so the bits do not depend on the path taken. */
#define IB_DEFINE_SOFTMAX(T, TS)                                              \
    int ib_softmax_##TS(int logsm, ib_ssize R, ib_ssize C, const T *x,        \
                        const ib_ssize *sx, T *out, const ib_ssize *so)       \
    {                                                                         \
        if (R <= 0 || C <= 0)                                                 \
            return IB_OK;                                                     \
        ib_ssize nch = (C + IB_NX_CHUNK - 1) / IB_NX_CHUNK;                   \
        int mt = ib_max_threads();                                            \
        if (R * C >= IB_PAR_THRESHOLD && (ib_ssize)mt > R && nch > 1          \
            && mt > 1)                                                        \
            return ib_softmax_chunked_##TS(logsm, R, C, x, sx, out, so, nch); \
        if (C <= IB_NX_SMALL_C) {                                             \
            void (*fs)(int, const T *, const ib_ssize *, T *,                 \
                       const ib_ssize *, ib_ssize, ib_ssize, ib_ssize) =      \
                IB_PICK(nx_softmax_small_##TS);                               \
            const ib_ssize G = IB_NX_BLOCK / C;                               \
            const ib_ssize ng = (R + G - 1) / G;                              \
            int nts = ib_nthreads(R * C, ng);                                 \
            IB_OMP_FOR_NT(nts)                                                \
            for (ib_ssize u = 0; u < ng; u++) {                               \
                ib_ssize r0 = u * G, r1 = r0 + G < R ? r0 + G : R;            \
                fs(logsm, x, sx, out, so, C, r0, r1);                         \
            }                                                                 \
            return IB_OK;                                                     \
        }                                                                     \
        void (*fn)(int, ib_ssize, const T *, ib_ssize, T *, ib_ssize) =       \
            IB_PICK(nx_softmax_row_##TS);                                     \
        int nt = ib_nthreads(R * C, R);                                       \
        IB_OMP_FOR                                                            \
        for (ib_ssize r = 0; r < R; r++)                                      \
            fn(logsm, C, x + r * sx[0], sx[1], out + r * so[0], so[1]);       \
        return IB_OK;                                                         \
    }

#define IB_DEFINE_SOFTMAX_CHUNKED(T, TS)                                      \
    static int ib_softmax_chunked_##TS(int logsm, ib_ssize R, ib_ssize C,     \
                                       const T *x, const ib_ssize *sx,        \
                                       T *out, const ib_ssize *so,            \
                                       ib_ssize nch)                          \
    {                                                                         \
        double (*fmax_)(const T *, ib_ssize, ib_ssize, ib_ssize) =            \
            IB_PICK(nx_sm_max_##TS);                                          \
        double (*fsum)(int, const T *, ib_ssize, T *, ib_ssize, ib_ssize,     \
                       ib_ssize, double, double *) = IB_PICK(nx_sm_sum_##TS); \
        void (*ffin)(int, int, const T *, ib_ssize, T *, ib_ssize, ib_ssize,  \
                     ib_ssize, double, double, double) =                      \
            IB_PICK(nx_sm_fin_##TS);                                          \
        void (*fspec)(int, ib_ssize, const T *, ib_ssize, T *, ib_ssize,      \
                      double) = IB_PICK(nx_sm_special_##TS);                  \
        double *buf = (double *)malloc((size_t)(3 * nch) * sizeof(double));   \
        if (buf == NULL)                                                      \
            return IB_ENOMEM;                                                 \
        double *cm = buf, *cs = buf + nch, *cc = buf + 2 * nch;               \
        const int keep = !logsm && sizeof(T) == sizeof(double);               \
        int nt = ib_nthreads(IB_PAR_THRESHOLD, nch);                          \
        for (ib_ssize r = 0; r < R; r++) {                                    \
            const T *xr = x + r * sx[0];                                      \
            T *orow = out + r * so[0];                                        \
            IB_OMP_FOR                                                        \
            for (ib_ssize c = 0; c < nch; c++) {                              \
                ib_ssize k0 = c * (ib_ssize)IB_NX_CHUNK;                      \
                ib_ssize k1 = k0 + IB_NX_CHUNK < C ? k0 + IB_NX_CHUNK : C;    \
                cm[c] = fmax_(xr, sx[1], k0, k1);                             \
            }                                                                 \
            double M = -INFINITY;                                             \
            for (ib_ssize c = 0; c < nch; c++)                                \
                M = cm[c] > M ? cm[c] : M;                                    \
            if (M == -INFINITY || M == INFINITY) {                            \
                fspec(logsm, C, xr, sx[1], orow, so[1], M);                   \
                continue;                                                     \
            }                                                                 \
            IB_OMP_FOR                                                        \
            for (ib_ssize c = 0; c < nch; c++) {                              \
                ib_ssize k0 = c * (ib_ssize)IB_NX_CHUNK;                      \
                ib_ssize k1 = k0 + IB_NX_CHUNK < C ? k0 + IB_NX_CHUNK : C;    \
                cs[c] = fsum(keep, xr, sx[1], orow, so[1], k0, k1, M, cc + c);\
            }                                                                 \
            double S = 0.0, cnt = 0.0;                                        \
            for (ib_ssize c = 0; c < nch; c++) {                              \
                S += cs[c];                                                   \
                cnt += cc[c];                                                 \
            }                                                                 \
            const double lS = ib_log_f64(cnt) + ib_log1p_f64(S / cnt);                      \
            S += cnt;                                                         \
            IB_OMP_FOR                                                        \
            for (ib_ssize c = 0; c < nch; c++) {                              \
                ib_ssize k0 = c * (ib_ssize)IB_NX_CHUNK;                      \
                ib_ssize k1 = k0 + IB_NX_CHUNK < C ? k0 + IB_NX_CHUNK : C;    \
                ffin(logsm, keep, xr, sx[1], orow, so[1], k0, k1, M, S, lS);  \
            }                                                                 \
        }                                                                     \
        free(buf);                                                            \
        return IB_OK;                                                         \
    }

IB_DEFINE_SOFTMAX_CHUNKED(double, f64)
IB_DEFINE_SOFTMAX_CHUNKED(float, f32)

IB_DEFINE_SOFTMAX(double, f64)
IB_DEFINE_SOFTMAX(float, f32)

/* ----------------------------------------------------------- softplus -- */

#define IB_DEFINE_LOG1PEXP(T, TS)                                             \
    int ib_log1pexp_##TS(int neg, ib_ssize n, const T *x, ib_ssize sx, T *y,  \
                         ib_ssize sy)                                         \
    {                                                                         \
        if (n <= 0)                                                           \
            return IB_OK;                                                     \
        void (*fn)(int, ib_ssize, ib_ssize, const T *, ib_ssize, T *,         \
                   ib_ssize) = IB_PICK(nx_softplus_##TS);                     \
        ib_ssize nch = (n + IB_NX_CHUNK - 1) / IB_NX_CHUNK;                   \
        int nt = ib_nthreads(n, nch);                                         \
        IB_OMP_FOR                                                            \
        for (ib_ssize u = 0; u < nch; u++) {                                  \
            ib_ssize f0 = u * (ib_ssize)IB_NX_CHUNK;                          \
            ib_ssize f1 = f0 + IB_NX_CHUNK < n ? f0 + IB_NX_CHUNK : n;        \
            fn(neg, f0, f1, x, sx, y, sy);                                    \
        }                                                                     \
        return IB_OK;                                                         \
    }

IB_DEFINE_LOG1PEXP(double, f64)
IB_DEFINE_LOG1PEXP(float, f32)

/* ------------------------------------------------------ binary losses -- */

#define IB_DEFINE_BINARY(T, TS)                                               \
    int ib_binary_##TS(const ib_binary_params *p, ib_ssize R, ib_ssize C,     \
                       const T *x, const ib_ssize *sx, const T *y,            \
                       const ib_ssize *sy, const T *w, const ib_ssize *sw,    \
                       const T *pw, const ib_ssize *spw, T *loss, T *grad,    \
                       double *total)                                         \
    {                                                                         \
        ib_ssize L = R * C;                                                   \
        *total = 0.0;                                                         \
        if (L <= 0)                                                           \
            return IB_OK;                                                     \
        double (*fn)(const ib_binary_params *, ib_ssize, ib_ssize, ib_ssize,  \
                     const T *, const ib_ssize *, const T *,                  \
                     const ib_ssize *, const T *, const ib_ssize *,           \
                     const T *, const ib_ssize *, T *, T *) =                 \
            IB_PICK(nx_binary_chunk_##TS);                                    \
        ib_ssize nch = (L + IB_NX_CHUNK - 1) / IB_NX_CHUNK;                   \
        double one;                                                           \
        double *partial = &one;                                               \
        if (nch > 1) {                                                        \
            partial = (double *)malloc((size_t)nch * sizeof(double));         \
            if (partial == NULL)                                              \
                return IB_ENOMEM;                                             \
        }                                                                     \
        int nt = ib_nthreads(L, nch);                                         \
        IB_OMP_FOR                                                            \
        for (ib_ssize u = 0; u < nch; u++) {                                  \
            ib_ssize f0 = u * (ib_ssize)IB_NX_CHUNK;                          \
            ib_ssize f1 = f0 + IB_NX_CHUNK < L ? f0 + IB_NX_CHUNK : L;        \
            partial[u] = fn(p, C, f0, f1, x, sx, y, sy, w, sw, pw, spw, loss, \
                            grad);                                            \
        }                                                                     \
        *total = ib_pairwise_sum(partial, nch);                               \
        if (nch > 1)                                                          \
            free(partial);                                                    \
        return IB_OK;                                                         \
    }

IB_DEFINE_BINARY(double, f64)
IB_DEFINE_BINARY(float, f32)
