/* Continuous-estimator kernels: spacing entropy estimators and
 * one-dimensional nearest-neighbour sweeps over sorted samples.
 * See ib_knn.h for the contracts. */
#include "ib_knn.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define IB_KNN_BLOCK 256
/* Terms per chunk: the unit of work of a thread, summed pairwise. */
#define IB_KNN_CHUNK 8192

/* ---------------------------------------------------------------- logs --
 * Sum of log(c * t[j]) over a block, 8 lanes.  Compiled once per SIMD path;
 * both give bitwise identical results (-ffp-contract=off, fixed order). */
#define IB_DEFINE_BLOCKLOG(SFX)                                               \
    IB_NOINLINE static double ib_knn_blocklog##SFX(const double *t, int nb,   \
                                                   double c)                  \
    {                                                                         \
        double v[IB_KNN_BLOCK];                                               \
        const double *restrict g = t;                                         \
        for (int j = 0; j < nb; j++)                                          \
            v[j] = ib_log_f64(c * g[j]);                                      \
        return ib_lanes_sum8(v, nb);                                          \
    }

IB_DEFINE_BLOCKLOG(_base)
#if IB_HAVE_V3
#pragma GCC push_options
#pragma GCC target("avx,avx2,fma,bmi,bmi2,lzcnt,movbe,f16c,popcnt")
IB_DEFINE_BLOCKLOG(_v3)
#pragma GCC pop_options
#endif

static double ib_knn_blocklog(const double *t, int nb, double c)
{
#if IB_HAVE_V3
    if (ib_simd_level() == IB_SIMD_X86_64_V3)
        return ib_knn_blocklog_v3(t, nb, c);
#endif
    return ib_knn_blocklog_base(t, nb, c);
}

/* Pairwise sum of the block sums of one chunk or of the chunk sums. */
static double ib_knn_pairwise(const double *s, ib_ssize n)
{
    return ib_pairwise_sum(s, n);
}

/* ------------------------------------------------------------- spacing -- */

static inline double ib_at(const double *x, ib_ssize n, ib_ssize i)
{
    return x[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

/* Fill t[0..nb) with the spacing factors of terms i0..i0+nb and return the
 * constant the log takes them with. */
static void ib_spacing_block(int method, const double *x, ib_ssize n,
                             ib_ssize m, ib_ssize i0, int nb, double *t)
{
    const double *restrict g = x + i0;
    if (method == IB_SPACING_VAN_ES) {
        for (int j = 0; j < nb; j++)
            t[j] = g[j + m] - g[j];
        return;
    }
    if (i0 - m >= 0 && i0 + nb - 1 + m < n) {
        for (int j = 0; j < nb; j++)
            t[j] = g[j + m] - g[j - m];
    } else {
        for (int j = 0; j < nb; j++) {
            ib_ssize i = i0 + j;
            t[j] = ib_at(x, n, i + m) - ib_at(x, n, i - m);
        }
    }
    if (method == IB_SPACING_EBRAHIMI) {
        /* scipy: log(n * d / (c_i * m)), i 1-based; c_i = 1 + (i-1)/m for
         * i <= m, 1 + (n-i)/m for i >= n-m+1, else 2. */
        for (int j = 0; j < nb; j++) {
            ib_ssize i = i0 + j + 1;
            double ci = 2.0;
            if (i <= m)
                ci = 1.0 + (double)(i - 1) / (double)m;
            if (i >= n - m + 1)
                ci = 1.0 + (double)(n - i) / (double)m;
            t[j] = (double)n * t[j] / (ci * (double)m);
        }
    }
}

/* Correa's local-linear-regression estimator: log(num_i / den_i). */
static void ib_correa_block(const double *x, ib_ssize n, ib_ssize m,
                            ib_ssize i0, int nb, double *t)
{
    double w = (double)(2 * m + 1);
    for (int j = 0; j < nb; j++) {
        ib_ssize i = i0 + j;
        double s = 0.0;
        for (ib_ssize d = -m; d <= m; d++)
            s += ib_at(x, n, i + d);
        double mean = s / w;
        double num = 0.0, den = 0.0;
        for (ib_ssize d = -m; d <= m; d++) {
            double e = ib_at(x, n, i + d) - mean;
            num += e * (double)d;
            den += e * e;
        }
        t[j] = num / ((double)n * den);
    }
}

static int ib_spacing_row(int method, ib_ssize n, ib_ssize m, const double *x,
                          double *out)
{
    ib_ssize nterms = method == IB_SPACING_VAN_ES ? n - m : n;
    ib_ssize nblocks = (nterms + IB_KNN_BLOCK - 1) / IB_KNN_BLOCK;
    double *bs = calloc((size_t)(nblocks > 0 ? nblocks : 1), sizeof(double));
    if (!bs)
        return IB_ENOMEM;
    double c;
    if (method == IB_SPACING_VASICEK)
        c = (double)n / (double)(2 * m);
    else if (method == IB_SPACING_VAN_ES)
        c = (double)(n + 1) / (double)m;
    else
        c = 1.0;
    double t[IB_KNN_BLOCK];
    for (ib_ssize b = 0; b < nblocks; b++) {
        ib_ssize i0 = b * IB_KNN_BLOCK;
        int nb = (int)(nterms - i0 < IB_KNN_BLOCK ? nterms - i0 : IB_KNN_BLOCK);
        if (method == IB_SPACING_CORREA)
            ib_correa_block(x, n, m, i0, nb, t);
        else
            ib_spacing_block(method, x, n, m, i0, nb, t);
        bs[b] = ib_knn_blocklog(t, nb, c);
    }
    double total = ib_knn_pairwise(bs, nblocks);
    free(bs);
    if (method == IB_SPACING_VASICEK || method == IB_SPACING_EBRAHIMI) {
        *out = total / (double)n;
    } else if (method == IB_SPACING_CORREA) {
        *out = -(total / (double)n);
    } else {
        /* van Es: mean over n - m terms + sum_{k=m}^{n} 1/k + log m - log(n+1) */
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        double v[IB_KNN_BLOCK];
        for (ib_ssize k0 = m; k0 <= n; k0 += IB_KNN_BLOCK) {
            int nb = (int)(n + 1 - k0 < IB_KNN_BLOCK ? n + 1 - k0 : IB_KNN_BLOCK);
            for (int j = 0; j < nb; j++)
                v[j] = 1.0 / (double)(k0 + j);
            ib_lanes_acc8(acc, v, nb);
        }
        double h = ib_lanes_total8(acc);
        *out = total / (double)(n - m) + h + log((double)m) - log((double)(n + 1));
    }
    return IB_OK;
}

int ib_spacing_entropy_f64(int method, ib_ssize ncols, ib_ssize n, ib_ssize m,
                           const double *xs, double *out)
{
    if (method < IB_SPACING_VASICEK || method > IB_SPACING_CORREA || m < 1
        || 2 * m >= n || ncols < 0)
        return IB_EINVAL;
    int status = IB_OK;
    double work = (double)ncols * (double)n
                  * (method == IB_SPACING_CORREA ? (double)m : 1.0);
#pragma omp parallel for schedule(static) if (ncols > 1 && work > IB_PAR_THRESHOLD)
    for (ib_ssize r = 0; r < ncols; r++) {
        int st = ib_spacing_row(method, n, m, xs + r * n, out + r);
        if (st != IB_OK) {
#pragma omp atomic write
            status = st;
        }
    }
    return status;
}

/* ------------------------------------------------------ 1-D k-NN sweeps -- */

/* Distance from x to its k-th nearest value in sorted v[0..nv), given
 * j = the first index with v[j] >= x, and skipping index `self` (or -1). */
static inline double ib_kth_sorted(const double *v, ib_ssize nv, double x,
                                   ib_ssize j, ib_ssize self, ib_ssize k)
{
    ib_ssize l = j - 1, r = j;
    double d = 0.0;
    for (ib_ssize c = 0; c < k; c++) {
        if (l == self)
            l--;
        if (r == self)
            r++;
        double dl = l >= 0 ? x - v[l] : INFINITY;
        double dr = r < nv ? v[r] - x : INFINITY;
        if (dl <= dr) {
            d = dl;
            l--;
        } else {
            d = dr;
            r++;
        }
    }
    return d;
}

/* First index j in sorted v with v[j] >= x, searching upwards from j0
 * (galloping then binary search). */
static inline ib_ssize ib_lower_from(const double *v, ib_ssize nv, double x,
                                     ib_ssize j0)
{
    ib_ssize lo = j0, step = 1, hi = j0;
    if (lo >= nv || v[lo] >= x)
        return lo;
    /* invariant: v[lo] < x */
    for (;;) {
        hi = lo + step;
        if (hi >= nv) {
            hi = nv;
            break;
        }
        if (v[hi] >= x)
            break;
        lo = hi;
        step *= 2;
    }
    while (hi - lo > 1) {
        ib_ssize mid = lo + (hi - lo) / 2;
        if (v[mid] >= x)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* k-th NN distances of xs[i0..i1) (into d), in xs itself or in ys. */
static void ib_knn1d_range(ib_ssize n, const double *xs, ib_ssize ny,
                           const double *ys, ib_ssize k, ib_ssize i0,
                           ib_ssize i1, double *d)
{
    if (!ys) {
        for (ib_ssize i = i0; i < i1; i++)
            d[i - i0] = ib_kth_sorted(xs, n, xs[i], i, i, k);
        return;
    }
    ib_ssize j = ib_lower_from(ys, ny, xs[i0], 0);
    for (ib_ssize i = i0; i < i1; i++) {
        j = ib_lower_from(ys, ny, xs[i], j);
        d[i - i0] = ib_kth_sorted(ys, ny, xs[i], j, -1, k);
    }
}

static int ib_knn1d_check(ib_ssize n, const double *xs, ib_ssize ny,
                          const double *ys, ib_ssize k)
{
    if (n < 0 || k < 1)
        return IB_EINVAL;
    if (!ys && n > 0 && k >= n)
        return IB_EINVAL;
    if (ys && k > ny)
        return IB_EINVAL;
    (void)xs;
    return IB_OK;
}

int ib_knn1d_dist_f64(ib_ssize n, const double *xs, ib_ssize ny,
                      const double *ys, ib_ssize k, double *out)
{
    int st = ib_knn1d_check(n, xs, ny, ys, k);
    if (st != IB_OK)
        return st;
    ib_ssize nch = (n + IB_KNN_CHUNK - 1) / IB_KNN_CHUNK;
#pragma omp parallel for schedule(static) if (n > IB_PAR_THRESHOLD)
    for (ib_ssize c = 0; c < nch; c++) {
        ib_ssize i0 = c * IB_KNN_CHUNK;
        ib_ssize i1 = i0 + IB_KNN_CHUNK < n ? i0 + IB_KNN_CHUNK : n;
        ib_knn1d_range(n, xs, ny, ys, k, i0, i1, out + i0);
    }
    return IB_OK;
}

int ib_knn1d_logsum_f64(ib_ssize n, const double *xs, ib_ssize ny,
                        const double *ys, ib_ssize k, double *sum_log,
                        ib_ssize *nzero)
{
    int st = ib_knn1d_check(n, xs, ny, ys, k);
    if (st != IB_OK)
        return st;
    ib_ssize nch = (n + IB_KNN_CHUNK - 1) / IB_KNN_CHUNK;
    double *cs = malloc((size_t)(nch > 0 ? nch : 1) * sizeof(double));
    ib_ssize *cz = malloc((size_t)(nch > 0 ? nch : 1) * sizeof(ib_ssize));
    if (!cs || !cz) {
        free(cs);
        free(cz);
        return IB_ENOMEM;
    }
#pragma omp parallel for schedule(static) if (n > IB_PAR_THRESHOLD)
    for (ib_ssize c = 0; c < nch; c++) {
        double d[IB_KNN_BLOCK];
        double bs[IB_KNN_CHUNK / IB_KNN_BLOCK];
        ib_ssize i0 = c * IB_KNN_CHUNK;
        ib_ssize i1 = i0 + IB_KNN_CHUNK < n ? i0 + IB_KNN_CHUNK : n;
        ib_ssize z = 0;
        int nbs = 0;
        for (ib_ssize b0 = i0; b0 < i1; b0 += IB_KNN_BLOCK) {
            int nb = (int)(i1 - b0 < IB_KNN_BLOCK ? i1 - b0 : IB_KNN_BLOCK);
            ib_knn1d_range(n, xs, ny, ys, k, b0, b0 + nb, d);
            for (int j = 0; j < nb; j++) {
                if (d[j] == 0.0) {
                    z++;
                    d[j] = 1.0; /* log 1 = 0: left out of the sum */
                }
            }
            bs[nbs++] = ib_knn_blocklog(d, nb, 1.0);
        }
        cs[c] = ib_knn_pairwise(bs, nbs);
        cz[c] = z;
    }
    double total = ib_knn_pairwise(cs, nch);
    ib_ssize z = 0;
    for (ib_ssize c = 0; c < nch; c++)
        z += cz[c];
    free(cs);
    free(cz);
    *sum_log = total;
    *nzero = z;
    return IB_OK;
}

/* -------------------------------------------------------------- counts -- */

int ib_count_within_f64(ib_ssize n, const double *vs, ib_ssize nq,
                        const double *q, const double *r, int64_t *out)
{
    if (n < 0 || nq < 0)
        return IB_EINVAL;
#pragma omp parallel for schedule(static) if (nq > IB_PAR_THRESHOLD / 16)
    for (ib_ssize i = 0; i < nq; i++) {
        double qi = q[i], ri = r[i];
        /* lo: first j with qi - vs[j] < ri (predicate false then true) */
        ib_ssize lo = 0, hi = n;
        while (lo < hi) {
            ib_ssize mid = lo + (hi - lo) / 2;
            if (qi - vs[mid] < ri)
                hi = mid;
            else
                lo = mid + 1;
        }
        ib_ssize a = lo;
        /* b: first j >= a with vs[j] - qi >= ri (predicate false then true) */
        lo = a;
        hi = n;
        while (lo < hi) {
            ib_ssize mid = lo + (hi - lo) / 2;
            if (vs[mid] - qi >= ri)
                hi = mid;
            else
                lo = mid + 1;
        }
        out[i] = (int64_t)(lo - a);
    }
    return IB_OK;
}

/* ------------------------------------------------- 2-D max-norm k-NN -- */

static inline void ib_insert_best(double *best, ib_ssize k, double d)
{
    /* best[0..k) ascending; insert d if smaller than best[k-1]. */
    if (!(d < best[k - 1]))
        return;
    ib_ssize p = k - 1;
    while (p > 0 && best[p - 1] > d) {
        best[p] = best[p - 1];
        p--;
    }
    best[p] = d;
}

int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                         ib_ssize k, ib_ssize max_scan, double *eps)
{
    if (k < 1 || k >= n || k > 64)
        return IB_EINVAL;
    int over = 0;
#pragma omp parallel for schedule(dynamic, 1024) if (n > IB_PAR_THRESHOLD / 8)
    for (ib_ssize i = 0; i < n; i++) {
        int stop;
#pragma omp atomic read
        stop = over;
        if (stop)
            continue;
        double best[64];
        for (ib_ssize c = 0; c < k; c++)
            best[c] = INFINITY;
        double xi = x[i], yi = y[i];
        ib_ssize l = i - 1, r = i + 1, scanned = 0;
        for (;;) {
            if (++scanned > max_scan) {
#pragma omp atomic write
                over = 1;
                break;
            }
            double dl = l >= 0 ? xi - x[l] : INFINITY;
            double dr = r < n ? x[r] - xi : INFINITY;
            double dx;
            ib_ssize j;
            if (dl <= dr) {
                dx = dl;
                j = l--;
            } else {
                dx = dr;
                j = r++;
            }
            /* every remaining point is at least dx away */
            if (!(dx < best[k - 1]))
                break;
            double dy = fabs(y[j] - yi);
            ib_insert_best(best, k, dx > dy ? dx : dy);
        }
        eps[i] = best[k - 1];
    }
    return over ? IB_EBUDGET : IB_OK;
}
