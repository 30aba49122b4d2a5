/* Discrete estimators: counting, entropy and MI from counts, all-pairs MI.
 *
 * Formulas (n = total count, c_k the counts, m the number of nonzero
 * counts, all in nats):
 *   plugin        sum_k (c_k/n) log(n/c_k)
 *   miller_madow  plugin + (m - 1) / (2n)                       (Miller 1955)
 *   grassberger   sum_k (c_k/n) (log n - G(c_k)),
 *                 G(c) = psi(c) + (-1)^c/2 (psi((c+1)/2) - psi(c/2))
 *                                                        (Grassberger 2003)
 *   james_stein   plug-in entropy of t_k = lambda/p + (1-lambda) c_k/n over
 *                 the p categories, lambda = (1 - sum u_k^2) /
 *                 ((n-1) sum (1/p - u_k)^2) clipped to [0, 1], u_k = c_k/n
 *                                              (Hausser & Strimmer 2009)
 *   chao_shen     -sum_k pa_k log(pa_k) / (1 - (1 - pa_k)^n), pa_k = C c_k/n,
 *                 C = 1 - f1/n (f1 singletons, f1 = n - 1 if f1 == n)
 *                                                      (Chao & Shen 2003)
 * Sums use 8 fixed lanes (lane = index mod 8) and a fixed tree, so a result
 * depends only on the counts and their order.
 */
#include "ib_estimate.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int ib_count_codes(ib_ssize n, const int64_t *code, ib_ssize s, ib_ssize K,
                   int64_t *counts, ib_ssize *bad)
{
    for (ib_ssize i = 0; i < n; i++) {
        int64_t c = code[i * s];
        if ((uint64_t)c >= (uint64_t)K) {
            *bad = i;
            return IB_EINDEX;
        }
        counts[c]++;
    }
    return IB_OK;
}

int ib_count_joint(ib_ssize n, const int64_t *cx, ib_ssize sx,
                   const int64_t *cy, ib_ssize sy, ib_ssize kx, ib_ssize ky,
                   int64_t *table, ib_ssize *bad)
{
    if (sx == 1 && sy == 1) {
        for (ib_ssize i = 0; i < n; i++) {
            int64_t a = cx[i], b = cy[i];
            if (((uint64_t)a >= (uint64_t)kx) | ((uint64_t)b >= (uint64_t)ky)) {
                *bad = i;
                return IB_EINDEX;
            }
            table[a * ky + b]++;
        }
        return IB_OK;
    }
    for (ib_ssize i = 0; i < n; i++) {
        int64_t a = cx[i * sx], b = cy[i * sy];
        if (((uint64_t)a >= (uint64_t)kx) | ((uint64_t)b >= (uint64_t)ky)) {
            *bad = i;
            return IB_EINDEX;
        }
        table[a * ky + b]++;
    }
    return IB_OK;
}

/* digamma for x > 0: recurrence up to x >= 10, then the asymptotic series
 * (error below 1e-16 relative there). */
static double ib_digamma(double x)
{
    double r = 0.0;
    while (x < 10.0) {
        r -= 1.0 / x;
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    double t = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240
               + f * (-1.0 / 132 + f * (691.0 / 32760 + f * (-1.0 / 12)))))));
    return r + ib_log_f64(x) - 0.5 / x + t;
}

/* Grassberger's G(c) for a positive integer count c. */
static double ib_grassberger_g(int64_t c)
{
    double d = (double)c;
    double h = 0.5 * (ib_digamma(0.5 * (d + 1.0)) - ib_digamma(0.5 * d));
    return ib_digamma(d) + ((c & 1) ? -h : h);
}

typedef struct {
    double acc[8];
    int lane;
} ib_lanes;

static inline void lanes_init(ib_lanes *l)
{
    for (int j = 0; j < 8; j++)
        l->acc[j] = 0.0;
    l->lane = 0;
}

static inline void lanes_add(ib_lanes *l, double v)
{
    l->acc[l->lane] += v;
    l->lane = (l->lane + 1) & 7;
}

/* Entropy from counts c[i*s] whose total n, nonzero count nz and singleton
 * count f1 are known (n > 0). */
static double entropy_core(int method, ib_ssize m, const int64_t *c,
                           ib_ssize s, int64_t n, ib_ssize nz, ib_ssize f1,
                           double p)
{
    double N = (double)n;
    ib_lanes L;
    lanes_init(&L);
    switch (method) {
    case IB_EST_PLUGIN:
    case IB_EST_MILLER_MADOW:
        for (ib_ssize i = 0; i < m; i++) {
            int64_t v = c[i * s];
            double d = (double)v;
            lanes_add(&L, v > 0 ? (d / N) * ib_log_f64(N / d) : 0.0);
        }
        if (method == IB_EST_MILLER_MADOW)
            return ib_lanes_total8(L.acc) + (double)(nz - 1) / (2.0 * N);
        return ib_lanes_total8(L.acc);
    case IB_EST_GRASSBERGER: {
        double lnN = ib_log_f64(N);
        for (ib_ssize i = 0; i < m; i++) {
            int64_t v = c[i * s];
            lanes_add(&L, v > 0 ? ((double)v / N) * (lnN - ib_grassberger_g(v))
                                : 0.0);
        }
        return ib_lanes_total8(L.acc);
    }
    case IB_EST_JAMES_STEIN: {
        double t = 1.0 / p;
        ib_lanes U, M;
        lanes_init(&U);
        lanes_init(&M);
        for (ib_ssize i = 0; i < m; i++) {
            int64_t v = c[i * s];
            if (v > 0) {
                double u = (double)v / N;
                lanes_add(&U, u * u);
                lanes_add(&M, (t - u) * (t - u));
            }
        }
        double su2 = ib_lanes_total8(U.acc);
        double msp = ib_lanes_total8(M.acc) + ((p - (double)nz) * t) * t;
        double lambda;
        if (n <= 1 || msp == 0.0) {
            lambda = 1.0;
        } else {
            lambda = ((1.0 - su2) / (N - 1.0)) / msp;
            lambda = lambda > 1.0 ? 1.0 : (lambda < 0.0 ? 0.0 : lambda);
        }
        double lt = lambda * t;
        for (ib_ssize i = 0; i < m; i++) {
            int64_t v = c[i * s];
            if (v > 0) {
                double th = lt + (1.0 - lambda) * ((double)v / N);
                lanes_add(&L, -th * ib_log_f64(th));
            }
        }
        double h = ib_lanes_total8(L.acc);
        if (lt > 0.0 && p > (double)nz)
            h += (p - (double)nz) * (-lt * ib_log_f64(lt));
        return h;
    }
    case IB_EST_CHAO_SHEN: {
        if (f1 == n)
            f1 = n - 1;
        double C = 1.0 - (double)f1 / N;
        for (ib_ssize i = 0; i < m; i++) {
            int64_t v = c[i * s];
            double term = 0.0;
            if (v > 0) {
                double pa = C * ((double)v / N);
                if (pa < 1.0) {
                    /* 1 - (1 - pa)^n, accurate also when n pa is tiny
                     * (libm expm1: one scalar call per category) */
                    double la = -expm1(N * ib_log1p_f64(-pa));
                    term = -pa * ib_log_f64(pa) / la;
                }
            }
            lanes_add(&L, term);
        }
        return ib_lanes_total8(L.acc);
    }
    }
    return 0.0;
}

int ib_entropy_counts(int method, ib_ssize m, const int64_t *c, ib_ssize s,
                      double p, double *out, ib_ssize *bad)
{
    int64_t n = 0;
    ib_ssize nz = 0, f1 = 0;
    for (ib_ssize i = 0; i < m; i++) {
        int64_t v = c[i * s];
        if (v < 0) {
            *bad = i;
            return IB_EINVAL;
        }
        n += v;
        nz += v > 0;
        f1 += v == 1;
    }
    if (method < 0 || method >= IB_EST_NMETHODS)
        return IB_EINVAL;
    *out = n == 0 ? 0.0 : entropy_core(method, m, c, s, n, nz, f1, p);
    return IB_OK;
}

/* MI from a dense table with known marginals a (kx), b (ky) and total n. */
static double mi_core(int method, ib_ssize kx, ib_ssize ky, const int64_t *t,
                      ib_ssize s0, ib_ssize s1, const int64_t *a,
                      const int64_t *b, int64_t n, double px, double py)
{
    if (n == 0)
        return 0.0;
    double N = (double)n;
    if (method == IB_EST_PLUGIN) {
        ib_lanes L;
        lanes_init(&L);
        for (ib_ssize i = 0; i < kx; i++) {
            double ai = (double)a[i];
            for (ib_ssize j = 0; j < ky; j++) {
                int64_t v = t[i * s0 + j * s1];
                double d = (double)v;
                lanes_add(&L, v > 0 ? d * ib_log_f64((d * N) / (ai * (double)b[j]))
                                    : 0.0);
            }
        }
        double mi = ib_lanes_total8(L.acc) / N;
        return mi > 0.0 ? mi : 0.0;
    }
    ib_ssize nza = 0, nzb = 0, nzt = 0, fa = 0, fb = 0, ft = 0;
    for (ib_ssize i = 0; i < kx; i++) {
        nza += a[i] > 0;
        fa += a[i] == 1;
    }
    for (ib_ssize j = 0; j < ky; j++) {
        nzb += b[j] > 0;
        fb += b[j] == 1;
    }
    for (ib_ssize i = 0; i < kx; i++)
        for (ib_ssize j = 0; j < ky; j++) {
            int64_t v = t[i * s0 + j * s1];
            nzt += v > 0;
            ft += v == 1;
        }
    double hx = entropy_core(method, kx, a, 1, n, nza, fa, px);
    double hy = entropy_core(method, ky, b, 1, n, nzb, fb, py);
    double hxy;
    if (s1 == 1 && s0 == ky) {
        hxy = entropy_core(method, kx * ky, t, 1, n, nzt, ft, px * py);
    } else {
        /* walk the table row by row through a contiguous copy so the cell
         * order (and the lanes) match the contiguous case */
        int64_t *tc = (int64_t *)malloc((size_t)(kx * ky) * sizeof(int64_t));
        if (tc == NULL)
            return NAN;
        for (ib_ssize i = 0; i < kx; i++)
            for (ib_ssize j = 0; j < ky; j++)
                tc[i * ky + j] = t[i * s0 + j * s1];
        hxy = entropy_core(method, kx * ky, tc, 1, n, nzt, ft, px * py);
        free(tc);
    }
    return (hx + hy) - hxy;
}

int ib_mi_table(int method, ib_ssize kx, ib_ssize ky, const int64_t *t,
                ib_ssize s0, ib_ssize s1, double px, double py, double *out,
                ib_ssize *bad)
{
    if (method < 0 || method >= IB_EST_NMETHODS)
        return IB_EINVAL;
    int64_t *ab = (int64_t *)calloc((size_t)(kx + ky) + 1, sizeof(int64_t));
    if (ab == NULL)
        return IB_ENOMEM;
    int64_t *a = ab, *b = ab + kx, n = 0;
    for (ib_ssize i = 0; i < kx; i++)
        for (ib_ssize j = 0; j < ky; j++) {
            int64_t v = t[i * s0 + j * s1];
            if (v < 0) {
                free(ab);
                *bad = i * ky + j;
                return IB_EINVAL;
            }
            a[i] += v;
            b[j] += v;
            n += v;
        }
    double r = mi_core(method, kx, ky, t, s0, s1, a, b, n, px, py);
    free(ab);
    if (isnan(r))
        return IB_ENOMEM;
    *out = r;
    return IB_OK;
}

double ib_log_ratio_sum(ib_ssize nnz, const int64_t *w, ib_ssize sw,
                        const int64_t *p, ib_ssize sp, const int64_t *q,
                        ib_ssize sq, const int64_t *r, ib_ssize sr,
                        const int64_t *s, ib_ssize ss, double N)
{
    ib_lanes L;
    lanes_init(&L);
    for (ib_ssize k = 0; k < nnz; k++) {
        int64_t v = w[k * sw];
        double num = (double)p[k * sp] * (double)q[k * sq];
        double den = (double)r[k * sr] * (double)s[k * ss];
        lanes_add(&L, v != 0 ? (double)v * ib_log_f64(num / den) : 0.0);
    }
    return ib_lanes_total8(L.acc) / N;
}

/* Typed counting for the matrix kernel: codes stored as uint8, uint16,
 * int32 or int64 (the narrowest type that holds every K - 1), so the columns
 * of a large matrix stay in cache. */
#define IB_DEFINE_TYPED(T, TS)                                                 \
    static int count_codes_##TS(ib_ssize n, const T *c, ib_ssize K,           \
                                int64_t *cnt, ib_ssize *bad)                   \
    {                                                                         \
        for (ib_ssize i = 0; i < n; i++) {                                    \
            int64_t v = (int64_t)c[i];                                        \
            if ((uint64_t)v >= (uint64_t)K) {                                 \
                *bad = i;                                                     \
                return IB_EINDEX;                                             \
            }                                                                 \
            cnt[v]++;                                                         \
        }                                                                     \
        return IB_OK;                                                         \
    }                                                                         \
    static int count_joint_##TS(ib_ssize n, const T *cx, const T *cy,         \
                                ib_ssize kx, ib_ssize ky, int64_t *t,         \
                                ib_ssize *bad)                                \
    {                                                                         \
        for (ib_ssize i = 0; i < n; i++) {                                    \
            int64_t a = (int64_t)cx[i], b = (int64_t)cy[i];                   \
            if (((uint64_t)a >= (uint64_t)kx) | ((uint64_t)b >= (uint64_t)ky)) { \
                *bad = i;                                                     \
                return IB_EINDEX;                                             \
            }                                                                 \
            t[a * ky + b]++;                                                  \
        }                                                                     \
        return IB_OK;                                                         \
    }

IB_DEFINE_TYPED(uint8_t, u8)
IB_DEFINE_TYPED(uint16_t, u16)
IB_DEFINE_TYPED(int32_t, i32)
IB_DEFINE_TYPED(int64_t, i64)

static int count_codes_any(int cs, ib_ssize n, const void *c, ib_ssize K,
                           int64_t *cnt, ib_ssize *bad)
{
    switch (cs) {
    case 1: return count_codes_u8(n, (const uint8_t *)c, K, cnt, bad);
    case 2: return count_codes_u16(n, (const uint16_t *)c, K, cnt, bad);
    case 4: return count_codes_i32(n, (const int32_t *)c, K, cnt, bad);
    default: return count_codes_i64(n, (const int64_t *)c, K, cnt, bad);
    }
}

static int count_joint_any(int cs, ib_ssize n, const void *cx, const void *cy,
                           ib_ssize kx, ib_ssize ky, int64_t *t, ib_ssize *bad)
{
    switch (cs) {
    case 1: return count_joint_u8(n, (const uint8_t *)cx, (const uint8_t *)cy, kx, ky, t, bad);
    case 2: return count_joint_u16(n, (const uint16_t *)cx, (const uint16_t *)cy, kx, ky, t, bad);
    case 4: return count_joint_i32(n, (const int32_t *)cx, (const int32_t *)cy, kx, ky, t, bad);
    default: return count_joint_i64(n, (const int64_t *)cx, (const int64_t *)cy, kx, ky, t, bad);
    }
}

#define IB_FACT_BLOCK 4096

/* The row-block loops below and ib_mi_matrix's pairs run as engine jobs
 * (maps: done = NULL; each unit writes its own results), so they follow the
 * process-wide thread policy and the dynamic handout of every kernel. */
typedef struct {
    ib_ssize n, m, s0, s1;
    const int64_t *x;
    int64_t *part;                      /* minmax: 2 m per block          */
    const int64_t *mn, *R;              /* factorize                      */
    const ib_ssize *off;
    ib_ssize total;
    unsigned char *pres;                /* presence, one table per thread */
    const int64_t *remap;
    int code_size;
    void *codes;
} ib_fact_ctx;

static ib_ssize ib_minmax_unit(void *ctx, ib_ssize g, ib_ssize b, void *part)
{
    const ib_fact_ctx *X = (const ib_fact_ctx *)ctx;
    const ib_ssize m = X->m, s0 = X->s0, s1 = X->s1;
    const int64_t *x = X->x;
    (void)g;
    (void)part;
    int64_t *lo = X->part + 2 * b * m, *hi = lo + m;
    ib_ssize i0 = b * IB_FACT_BLOCK;
    ib_ssize i1 = i0 + IB_FACT_BLOCK < X->n ? i0 + IB_FACT_BLOCK : X->n;
    /* local accumulators, stored once: the blocks' partials share cache
     * lines, and a store per element (the compiler cannot keep lo[j] in a
     * register: it may alias x) made two threads slower than one */
    for (ib_ssize j = 0; j < m; j++) {
        const int64_t *xj = x + j * s1;
        int64_t l = xj[i0 * s0], h = l;
        for (ib_ssize i = i0 + 1; i < i1; i++) {
            int64_t v = xj[i * s0];
            l = v < l ? v : l;
            h = v > h ? v : h;
        }
        lo[j] = l;
        hi[j] = h;
    }
    return -1;
}

int ib_minmax_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                  ib_ssize s1, int64_t *mn, int64_t *mx)
{
    if (n <= 0 || m <= 0)
        return IB_OK;
    ib_ssize nb = (n + IB_FACT_BLOCK - 1) / IB_FACT_BLOCK;
    int64_t *part = (int64_t *)malloc((size_t)(2 * nb * m) * sizeof(int64_t));
    if (part == NULL)
        return IB_ENOMEM;
    ib_fact_ctx X = {n, m, s0, s1, x, part, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL};
    ib_engine_job job = {1, nb, 0, n * m, IB_PAR_THRESHOLD, ib_minmax_unit, NULL, &X};
    ib_ssize flag;
    ib_engine_run(&job, &flag);
    for (ib_ssize j = 0; j < m; j++) {
        mn[j] = part[j];
        mx[j] = part[m + j];
    }
    for (ib_ssize b = 1; b < nb; b++)
        for (ib_ssize j = 0; j < m; j++) {
            int64_t lo = part[2 * b * m + j], hi = part[2 * b * m + m + j];
            mn[j] = lo < mn[j] ? lo : mn[j];
            mx[j] = hi > mx[j] ? hi : mx[j];
        }
    free(part);
    return IB_OK;
}

/* Factorization pass 1: which values occur, in the table of the thread that
 * runs the block (tables OR-ed afterwards: the codes do not depend on which
 * thread saw a value).  0 if a value lies outside its range. */
static ib_ssize ib_presence_unit(void *ctx, ib_ssize g, ib_ssize b, void *part)
{
    const ib_fact_ctx *X = (const ib_fact_ctx *)ctx;
    const ib_ssize m = X->m, s0 = X->s0, s1 = X->s1, n = X->n;
    const int64_t *x = X->x, *mn = X->mn, *R = X->R;
    const ib_ssize *off = X->off;
    (void)g;
    (void)part;
    unsigned char *p = X->pres + (ib_ssize)ib_engine_thread_num() * X->total;
    ib_ssize nbad = 0;
    ib_ssize i1 = (b + 1) * IB_FACT_BLOCK < n ? (b + 1) * IB_FACT_BLOCK : n;
    for (ib_ssize i = b * IB_FACT_BLOCK; i < i1; i++)
        for (ib_ssize j = 0; j < m; j++) {
            int64_t v = x[i * s0 + j * s1] - mn[j];
            if ((uint64_t)v > (uint64_t)R[j])
                nbad++;
            else
                p[off[j] + v] = 1;
        }
    return nbad ? 0 : -1;
}

/* Factorization pass 2: the codes of one block of rows, one column after
 * another. */
static ib_ssize ib_codes_unit(void *ctx, ib_ssize g, ib_ssize b, void *part)
{
    const ib_fact_ctx *X = (const ib_fact_ctx *)ctx;
    const ib_ssize m = X->m, s0 = X->s0, s1 = X->s1, n = X->n;
    const int64_t *x = X->x;
    void *codes = X->codes;
    (void)g;
    (void)part;
    ib_ssize i0 = b * IB_FACT_BLOCK;
    ib_ssize i1 = i0 + IB_FACT_BLOCK < n ? i0 + IB_FACT_BLOCK : n;
    for (ib_ssize j = 0; j < m; j++) {
        const int64_t *rm = X->remap + X->off[j] - X->mn[j];
        switch (X->code_size) {
        case 1: {
            uint8_t *o = (uint8_t *)codes + j * n;
            for (ib_ssize i = i0; i < i1; i++)
                o[i] = (uint8_t)rm[x[i * s0 + j * s1]];
            break;
        }
        case 2: {
            uint16_t *o = (uint16_t *)codes + j * n;
            for (ib_ssize i = i0; i < i1; i++)
                o[i] = (uint16_t)rm[x[i * s0 + j * s1]];
            break;
        }
        case 4: {
            int32_t *o = (int32_t *)codes + j * n;
            for (ib_ssize i = i0; i < i1; i++)
                o[i] = (int32_t)rm[x[i * s0 + j * s1]];
            break;
        }
        default: {
            int64_t *o = (int64_t *)codes + j * n;
            for (ib_ssize i = i0; i < i1; i++)
                o[i] = rm[x[i * s0 + j * s1]];
            break;
        }
        }
    }
    return -1;
}

int ib_factorize_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                     ib_ssize s1, const int64_t *mn, const int64_t *R,
                     int code_size, void *codes, int64_t *K)
{
    if (n <= 0 || m <= 0)
        return IB_OK;
    if (code_size != 1 && code_size != 2 && code_size != 4 && code_size != 8)
        return IB_EINVAL;
    ib_ssize *off = (ib_ssize *)malloc((size_t)(m + 1) * sizeof(ib_ssize));
    if (off == NULL)
        return IB_ENOMEM;
    off[0] = 0;
    for (ib_ssize j = 0; j < m; j++)
        off[j + 1] = off[j] + R[j] + 1;
    ib_ssize total = off[m];
    ib_ssize nb = (n + IB_FACT_BLOCK - 1) / IB_FACT_BLOCK;
    ib_engine_job job = {1, nb, 0, n * m, IB_PAR_THRESHOLD, ib_presence_unit, NULL, NULL};
    int nt = ib_engine_threads(job.work, nb, job.par_min);
    job.threads = nt;           /* the presence tables below */
    unsigned char *pres = (unsigned char *)calloc((size_t)(nt * total), 1);
    int64_t *remap = (int64_t *)malloc((size_t)total * sizeof(int64_t));
    if (pres == NULL || remap == NULL) {
        free(pres);
        free(remap);
        free(off);
        return IB_ENOMEM;
    }
    ib_fact_ctx X = {n, m, s0, s1, x, NULL, mn, R, off, total, pres, remap,
                     code_size, codes};
    job.ctx = &X;
    ib_ssize flag;
    ib_engine_run(&job, &flag);
    if (flag >= 0) {
        free(pres);
        free(remap);
        free(off);
        return IB_EINVAL;
    }
    for (ib_ssize j = 0; j < m; j++) {
        int64_t c = 0;
        for (ib_ssize v = off[j]; v < off[j + 1]; v++) {
            unsigned char any = 0;
            for (int t = 0; t < nt; t++)
                any |= pres[(ib_ssize)t * total + v];
            remap[v] = any ? c++ : -1;
        }
        K[j] = c;
    }
    free(pres);
    X.pres = NULL;
    ib_engine_job job2 = {1, nb, 0, n * m, IB_PAR_THRESHOLD, ib_codes_unit, NULL, &X};
    ib_engine_run(&job2, &flag);
    free(remap);
    free(off);
    return IB_OK;
}

/* ib_mi_matrix: unit u < m is the diagonal entry (entropy) of variable u,
 * the others the pairs, each writing its own fixed results. */
typedef struct {
    int method, code_size;
    ib_ssize n, m, ld;
    const char *cb;
    const int64_t *K;
    const double *P;
    const unsigned char *todo;
    const ib_ssize *pi, *pj;
    double *out;
    int status;                          /* IB_ENOMEM or a pair's error */
} ib_mim_ctx;

/* status = max(status, st), from any thread. */
static void ib_mim_fail(ib_mim_ctx *X, int st)
{
#if defined(__GNUC__) || defined(__clang__)
    int cur = IB_ALOAD(&X->status);
    while (st > cur && !__atomic_compare_exchange_n(&X->status, &cur, st, 0,
                                                    __ATOMIC_RELAXED,
                                                    __ATOMIC_RELAXED))
        ;
#else
#pragma omp critical(ib_mim_fail)
    if (st > X->status)
        X->status = st;
#endif
}

static ib_ssize ib_mim_unit(void *ctx, ib_ssize g, ib_ssize u, void *part)
{
    ib_mim_ctx *X = (ib_mim_ctx *)ctx;
    const ib_ssize n = X->n, m = X->m;
    const int64_t *K = X->K;
    (void)g;
    (void)part;
    if (u < m) {
        ib_ssize v = u;
        int64_t *cnt = (int64_t *)calloc((size_t)K[v] + 1, sizeof(int64_t));
        if (cnt == NULL) {
            ib_mim_fail(X, IB_ENOMEM);
            return -1;
        }
        ib_ssize b = -1, pos = -1;
        int st = count_codes_any(X->code_size, n, X->cb + v * X->ld, K[v], cnt, &b);
        if (st == IB_OK) {
            double h = 0.0;
            ib_entropy_counts(X->method, K[v], cnt, 1, X->P[v], &h, &b);
            X->out[v * m + v] = h;
        } else {
            pos = v * n + b;            /* the first bad code, column-major */
        }
        free(cnt);
        return pos;
    }
    ib_ssize i = X->pi[u - m], j = X->pj[u - m];
    if (!X->todo[i * m + j])
        return -1;
    ib_ssize ki = K[i], kj = K[j];
    int64_t *buf = (int64_t *)calloc((size_t)(ki * kj + ki + kj) + 1,
                                     sizeof(int64_t));
    if (buf == NULL) {
        ib_mim_fail(X, IB_ENOMEM);
        return -1;
    }
    int64_t *t = buf, *a = buf + ki * kj, *b = a + ki;
    ib_ssize bb = -1;
    int st = count_joint_any(X->code_size, n, X->cb + i * X->ld,
                             X->cb + j * X->ld, ki, kj, t, &bb);
    if (st == IB_OK) {
        for (ib_ssize x = 0; x < ki; x++)
            for (ib_ssize y = 0; y < kj; y++) {
                a[x] += t[x * kj + y];
                b[y] += t[x * kj + y];
            }
        double r = mi_core(X->method, ki, kj, t, kj, 1, a, b, n, X->P[i], X->P[j]);
        X->out[i * m + j] = r;
        X->out[j * m + i] = r;
    } else {
        /* (the diagonal units of i and j report the position) */
        ib_mim_fail(X, st);
    }
    free(buf);
    return -1;
}

int ib_mi_matrix(int method, ib_ssize n, ib_ssize m, const void *codes,
                 int code_size, const int64_t *K, const double *P,
                 const unsigned char *todo, double *out, ib_ssize *bad)
{
    if (method < 0 || method >= IB_EST_NMETHODS)
        return IB_EINVAL;
    if (m <= 0)
        return IB_OK;
    if (code_size != 1 && code_size != 2 && code_size != 4 && code_size != 8)
        return IB_EINVAL;
    ib_ssize npairs = m * (m - 1) / 2;
    ib_ssize *pi = (ib_ssize *)malloc((size_t)(2 * npairs + 1) * sizeof(ib_ssize));
    if (pi == NULL)
        return IB_ENOMEM;
    ib_ssize *pj = pi + npairs, q = 0;
    for (ib_ssize i = 0; i < m; i++)
        for (ib_ssize j = i + 1; j < m; j++, q++) {
            pi[q] = i;
            pj[q] = j;
        }
    ib_mim_ctx X = {method, code_size, n, m, n * code_size, (const char *)codes,
                    K, P, todo, pi, pj, out, IB_OK};
    ib_engine_job job = {1, m + npairs, 0, n * (m + npairs), IB_PAR_THRESHOLD,
                         ib_mim_unit, NULL, &X};
    ib_ssize flag;
    ib_engine_run(&job, &flag);
    free(pi);
    if (X.status == IB_ENOMEM)
        return IB_ENOMEM;
    if (flag >= 0) {
        if (bad != NULL)
            *bad = flag;
        return IB_EINDEX;
    }
    return X.status;
}
