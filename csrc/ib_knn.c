/* Continuous-estimator kernels: spacing entropy estimators and
 * one-dimensional nearest-neighbour sweeps over sorted samples.
 * See ib_knn.h for the contracts. */
#include "ib_knn.h"
#include "ib_engine.h"
#include "ib_vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define IB_KNN_BLOCK 256
/* Terms per chunk: the unit of work of a thread, summed pairwise. */
#define IB_KNN_CHUNK 8192

/* ---------------------------------------------------------------- logs --
 * The block-log sum, once per SIMD path (ib_knn_path.h). */
#define IB_PATH_BODY "ib_knn_path.h"
#include "ib_per_path.h"

static double ib_knn_blocklog(const double *t, int nb, double c)
{
    return IB_PICK(ib_knn_blocklog)(t, nb, c);
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

/* One engine unit per column (a map: no partials, no done). */
typedef struct {
    int method;
    ib_ssize n, m;
    const double *xs;
    double *out;
} ib_spacing_ctx;

static ib_ssize ib_spacing_unit(void *vc, ib_ssize g, ib_ssize r, void *part)
{
    const ib_spacing_ctx *X = vc;
    (void)g;
    (void)part;
    /* the only failure is an allocation: its column as the position */
    return ib_spacing_row(X->method, X->n, X->m, X->xs + r * X->n, X->out + r)
           == IB_OK ? -1 : r;
}

int ib_spacing_entropy_f64(int method, ib_ssize ncols, ib_ssize n, ib_ssize m,
                           const double *xs, double *out)
{
    if (method < IB_SPACING_VASICEK || method > IB_SPACING_CORREA || m < 1
        || 2 * m >= n || ncols < 0)
        return IB_EINVAL;
    if (ncols == 0)
        return IB_OK;
    double work = (double)ncols * (double)n
                  * (method == IB_SPACING_CORREA ? (double)m : 1.0);
    ib_spacing_ctx X = {method, n, m, xs, out};
    ib_engine_job job = {1, ncols, 0,
                         work > 4e18 ? (ib_ssize)4e18 : (ib_ssize)work,
                         IB_PAR_THRESHOLD, ib_spacing_unit, NULL, &X, 0};
    ib_ssize flag = -1;
    int st = ib_engine_run(&job, &flag);
    if (st != IB_OK)
        return st;
    return flag >= 0 ? IB_ENOMEM : IB_OK;
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

typedef struct {
    ib_ssize n, ny, k;
    const double *xs, *ys;
    double *out;
} ib_knn_dist_ctx;

static ib_ssize ib_knn_dist_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_knn_dist_ctx *X = vc;
    (void)g;
    (void)part;
    ib_ssize i0 = c * IB_KNN_CHUNK;
    ib_ssize i1 = i0 + IB_KNN_CHUNK < X->n ? i0 + IB_KNN_CHUNK : X->n;
    ib_knn1d_range(X->n, X->xs, X->ny, X->ys, X->k, i0, i1, X->out + i0);
    return -1;
}

int ib_knn1d_dist_f64(ib_ssize n, const double *xs, ib_ssize ny,
                      const double *ys, ib_ssize k, double *out)
{
    int st = ib_knn1d_check(n, xs, ny, ys, k);
    if (st != IB_OK)
        return st;
    ib_ssize nch = (n + IB_KNN_CHUNK - 1) / IB_KNN_CHUNK;
    if (nch <= 0)
        return IB_OK;
    ib_knn_dist_ctx X = {n, ny, k, xs, ys, out};
    ib_engine_job job = {1, nch, 0, n, IB_PAR_THRESHOLD, ib_knn_dist_unit,
                         NULL, &X, 0};
    return ib_engine_run(&job, NULL);
}

/* ib_knn1d_logsum_f64 on the engine: one unit per chunk of IB_KNN_CHUNK
 * points, its partial (the chunk's log sum, its count of zero distances,
 * its smallest distance); the chunks' sums pairwise (ib_pairwise_sum's
 * tree), the counts added, the minima min-ed. */
typedef struct {
    ib_ssize n, ny, k;
    const double *xs, *ys;
    double total;
    ib_ssize z;
    double dmin;
} ib_knn_logsum_ctx;

static ib_ssize ib_knn_logsum_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_knn_logsum_ctx *X = vc;
    double *p = part;
    double d[IB_KNN_BLOCK];
    double bs[IB_KNN_CHUNK / IB_KNN_BLOCK];
    const ib_ssize n = X->n;
    ib_ssize i0 = c * IB_KNN_CHUNK;
    ib_ssize i1 = i0 + IB_KNN_CHUNK < n ? i0 + IB_KNN_CHUNK : n;
    ib_ssize z = 0;
    int nbs = 0;
    double mn = INFINITY;
    (void)g;
    for (ib_ssize b0 = i0; b0 < i1; b0 += IB_KNN_BLOCK) {
        int nb = (int)(i1 - b0 < IB_KNN_BLOCK ? i1 - b0 : IB_KNN_BLOCK);
        ib_knn1d_range(n, X->xs, X->ny, X->ys, X->k, b0, b0 + nb, d);
        for (int j = 0; j < nb; j++) {
            mn = d[j] < mn ? d[j] : mn;
            if (d[j] == 0.0) {
                z++;
                d[j] = 1.0; /* log 1 = 0: left out of the sum */
            }
        }
        bs[nbs++] = ib_knn_blocklog(d, nb, 1.0);
    }
    p[0] = ib_knn_pairwise(bs, nbs);
    p[1] = (double)z;   /* an integer below 2^53: exact */
    p[2] = mn;
    return -1;
}

static void ib_knn_logsum_done(void *vc, ib_ssize g, void *parts, ib_ssize nch)
{
    ib_knn_logsum_ctx *X = vc;
    const double *p = parts;
    ib_ssize z = 0;
    (void)g;
    X->total = ib_pairwise_sum_strided(p, nch, 3);
    double mn = INFINITY;
    for (ib_ssize c = 0; c < nch; c++) {
        z += (ib_ssize)p[3 * c + 1];
        mn = p[3 * c + 2] < mn ? p[3 * c + 2] : mn;
    }
    X->z = z;
    X->dmin = mn;
}

int ib_knn1d_logsum_f64(ib_ssize n, const double *xs, ib_ssize ny,
                        const double *ys, ib_ssize k, double *sum_log,
                        ib_ssize *nzero, double *dmin)
{
    int st = ib_knn1d_check(n, xs, ny, ys, k);
    if (st != IB_OK)
        return st;
    ib_knn_logsum_ctx X = {n, ny, k, xs, ys, 0.0, 0, INFINITY};
    ib_ssize nch = (n + IB_KNN_CHUNK - 1) / IB_KNN_CHUNK;
    /* work: points (a galloping neighbour search and a log each, well
     * above a plain log term, so the default threshold is conservative) */
    ib_engine_job job = {1, nch, 3 * sizeof(double), n, IB_PAR_THRESHOLD,
                         ib_knn_logsum_unit, ib_knn_logsum_done, &X};
    *dmin = INFINITY;
    if (nch <= 0) {
        *sum_log = 0.0;
        *nzero = 0;
        return IB_OK;
    }
    st = ib_engine_run(&job, NULL);
    if (st != IB_OK)
        return st;
    *sum_log = X.total;
    *nzero = X.z;
    *dmin = X.dmin;
    return IB_OK;
}

/* -------------------------------------------------------------- counts -- */

/* Queries that are the sorted values themselves: gallop outwards from i
 * (O(log count) steps on nearby, cache-hot memory). */
typedef struct {
    ib_ssize n;
    const double *vs, *r;
    int64_t *out;
} ib_count_self_ctx;

static ib_ssize ib_count_self_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_count_self_ctx *X = vc;
    const ib_ssize n = X->n;
    const double *vs = X->vs, *r = X->r;
    int64_t *out = X->out;
    ib_ssize i0 = c * IB_KNN_CHUNK;
    ib_ssize i1 = i0 + IB_KNN_CHUNK < n ? i0 + IB_KNN_CHUNK : n;
    (void)g;
    (void)part;
    for (ib_ssize i = i0; i < i1; i++) {
        double q = vs[i], ri = r[i];
        if (!(ri > 0.0)) {
            out[i] = 0;
            continue;
        }
        /* left: smallest j <= i with q - vs[j] < ri (true at j = i) */
        ib_ssize hi = i, step = 1, lo;
        for (;;) {
            lo = i - step;
            if (lo < 0) {
                lo = -1;
                break;
            }
            if (!(q - vs[lo] < ri))
                break;
            hi = lo;
            step *= 2;
        }
        while (hi - lo > 1) {   /* P(lo) false (or lo = -1), P(hi) true */
            ib_ssize mid = lo + (hi - lo) / 2;
            if (q - vs[mid] < ri)
                hi = mid;
            else
                lo = mid;
        }
        ib_ssize left = hi;
        /* right: largest j >= i with vs[j] - q < ri (true at j = i) */
        ib_ssize a = i, b;
        step = 1;
        for (;;) {
            b = i + step;
            if (b >= n) {
                b = n;
                break;
            }
            if (!(vs[b] - q < ri))
                break;
            a = b;
            step *= 2;
        }
        while (b - a > 1) {     /* P(a) true, P(b) false (or b = n) */
            ib_ssize mid = a + (b - a) / 2;
            if (vs[mid] - q < ri)
                a = mid;
            else
                b = mid;
        }
        out[i] = (int64_t)(a - left + 1);
    }
    return -1;
}

int ib_count_within_self_f64(ib_ssize n, const double *vs, const double *r,
                             int64_t *out)
{
    if (n < 0)
        return IB_EINVAL;
    ib_ssize nch = (n + IB_KNN_CHUNK - 1) / IB_KNN_CHUNK;
    if (nch <= 0)
        return IB_OK;
    ib_count_self_ctx X = {n, vs, r, out};
    /* work: a galloping search per point, ~16 plain log terms' time */
    ib_engine_job job = {1, nch, 0, n > PTRDIFF_MAX / 16 ? PTRDIFF_MAX : 16 * n,
                         IB_PAR_THRESHOLD, ib_count_self_unit, NULL, &X, 0};
    return ib_engine_run(&job, NULL);
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

/* Grid search.  Points are bucketed into square cells of side h over a box
 * [x0, x0 + gx h) x [y0, y0 + gy h) (points outside the box go to the
 * border cells, which keeps the search exact: a border cell then reaches to
 * infinity on its outer side).  Around each point, Chebyshev rings of cells
 * are visited until the k-th best distance is no larger than the distance
 * from the point to the outside of the visited square. */
typedef struct {
    double x0, y0, h;
    ib_ssize gx, gy;
    ib_ssize *start;   /* gx*gy + 1 offsets into idx */
    ib_ssize *idx;     /* point indices grouped by cell */
} ib_grid2;

static inline ib_ssize ib_cell(double v, double v0, double h, ib_ssize g)
{
    double t = (v - v0) / h;
    if (!(t > 0.0))
        return 0;
    if (t >= (double)g)
        return g - 1;
    ib_ssize c = (ib_ssize)t;
    return c < g ? c : g - 1;
}

/* The grid search's engine unit: IB_GRID_CHUNK points in cell order; the
 * work budget is shared through *over and *total (atomics). */
#define IB_GRID_CHUNK 1024
typedef struct {
    ib_ssize n, k, gx, gy, max_work;
    const double *X, *Y;
    const ib_ssize *idx, *cell, *start;
    double h, box_x0, box_y0, mag;
    double *eps;
    int *over;
    ib_ssize *total;
} ib_grid_ctx;

static ib_ssize ib_grid_unit(void *vc, ib_ssize g, ib_ssize ch, void *part)
{
    const ib_grid_ctx *X = vc;
    const ib_ssize n = X->n, k = X->k, gx = X->gx, gy = X->gy;
    const ib_ssize max_work = X->max_work;
    const double *Xv = X->X, *Yv = X->Y;
    const ib_ssize *idx = X->idx, *cell = X->cell, *start = X->start;
    const double h = X->h, box_x0 = X->box_x0, box_y0 = X->box_y0, mag = X->mag;
    double *eps = X->eps;
    ib_ssize i1 = (ch + 1) * IB_GRID_CHUNK < n ? (ch + 1) * IB_GRID_CHUNK : n;
    (void)g;
    (void)part;
    for (ib_ssize i = ch * IB_GRID_CHUNK; i < i1; i++) {   /* i: position in cell order */
        int stop;
#pragma omp atomic read
        stop = *X->over;
        if (stop)
            continue;
        double best[64];
        for (ib_ssize c = 0; c < k; c++)
            best[c] = INFINITY;
        double xi = Xv[i], yi = Yv[i];
        double slack = 1e-9 * h + 1e-13 * (mag + (fabs(xi) > fabs(yi) ? fabs(xi) : fabs(yi)));
        ib_ssize ci = cell[idx[i]];
        ib_ssize cx = ci % gx, cy = ci / gx;
        ib_ssize scanned = 0;
        for (ib_ssize r = 0;; r++) {
            ib_ssize xa = cx - r, xb = cx + r, ya = cy - r, yb = cy + r;
            for (ib_ssize ry = ya; ry <= yb; ry++) {
                scanned++;
                if (ry < 0 || ry >= gy)
                    continue;
                int edge_row = (ry == ya || ry == yb);
                ib_ssize step = edge_row ? 1 : (xb - xa);
                for (ib_ssize rx = xa; rx <= xb; rx += (step > 0 ? step : 1)) {
                    scanned++;
                    if (rx < 0 || rx >= gx)
                        continue;
                    ib_ssize c = ry * gx + rx;
                    for (ib_ssize p = start[c]; p < start[c + 1]; p++) {
                        if (p == i)
                            continue;
                        double dx = fabs(Xv[p] - xi), dy = fabs(Yv[p] - yi);
                        ib_insert_best(best, k, dx > dy ? dx : dy);
                    }
                    scanned += start[c + 1] - start[c];
                }
            }
            /* distance from the point to the outside of the visited square;
             * sides beyond the grid are unbounded */
            double bound = INFINITY;
            if (xa > 0) {
                double b = xi - (box_x0 + (double)xa * h);
                bound = b < bound ? b : bound;
            }
            if (xb < gx - 1) {
                double b = box_x0 + (double)(xb + 1) * h - xi;
                bound = b < bound ? b : bound;
            }
            if (ya > 0) {
                double b = yi - (box_y0 + (double)ya * h);
                bound = b < bound ? b : bound;
            }
            if (yb < gy - 1) {
                double b = box_y0 + (double)(yb + 1) * h - yi;
                bound = b < bound ? b : bound;
            }
            if (bound == INFINITY || best[k - 1] <= bound - slack)
                break;
            if (scanned > max_work) {
#pragma omp atomic write
                *X->over = 1;
                break;
            }
        }
        eps[idx[i]] = best[k - 1];
        ib_ssize t;
#pragma omp atomic capture
        t = *X->total += scanned;
        if (t > max_work) {
#pragma omp atomic write
            *X->over = 1;
        }
    }
    return -1;
}

int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                         ib_ssize k, double box_x0, double box_y0,
                         double box_x1, double box_y1, ib_ssize max_work,
                         double *eps, ib_ssize *work)
{
    *work = 0;
    if (k < 1 || k >= n || k > 64)
        return IB_EINVAL;
    double w = box_x1 - box_x0, hgt = box_y1 - box_y0;
    if (!(w > 0.0) || !(hgt > 0.0))
        return IB_EINVAL;
    /* about one cell per point over the box, square cells (measured
     * fastest for Gaussian data against 1/4, 1/2, 3 and 8 cells per point);
     * never more than 4n + 16 cells.  Boxes whose scale over- or underflows
     * go to the caller's k-d tree. */
    if (!isfinite(w) || !isfinite(hgt))
        return IB_EBUDGET;
    double h = sqrt(w) * sqrt(hgt) / sqrt((double)n);
    if (!(h > 0.0) || !isfinite(h))
        return IB_EBUDGET;
    double gxd = fmax(1.0, ceil(w / h)), gyd = fmax(1.0, ceil(hgt / h));
    while (gxd * gyd > 4.0 * (double)n + 16.0) {
        h *= 1.25;
        gxd = fmax(1.0, ceil(w / h));
        gyd = fmax(1.0, ceil(hgt / h));
    }
    ib_ssize gx = (ib_ssize)gxd, gy = (ib_ssize)gyd;
    ib_ssize nc = gx * gy;
    ib_ssize *start = calloc((size_t)(nc + 1), sizeof(ib_ssize));
    ib_ssize *idx = malloc((size_t)n * sizeof(ib_ssize));
    ib_ssize *cell = malloc((size_t)n * sizeof(ib_ssize));
    double *X = malloc((size_t)n * sizeof(double));
    double *Y = malloc((size_t)n * sizeof(double));
    if (!start || !idx || !cell || !X || !Y) {
        free(start);
        free(idx);
        free(cell);
        free(X);
        free(Y);
        return IB_ENOMEM;
    }
    for (ib_ssize i = 0; i < n; i++) {
        ib_ssize c = ib_cell(y[i], box_y0, h, gy) * gx + ib_cell(x[i], box_x0, h, gx);
        cell[i] = c;
        start[c + 1]++;
    }
    for (ib_ssize c = 0; c < nc; c++)
        start[c + 1] += start[c];
    {
        ib_ssize *fill = malloc((size_t)nc * sizeof(ib_ssize));
        if (!fill) {
            free(start);
            free(idx);
            free(cell);
            free(X);
            free(Y);
            return IB_ENOMEM;
        }
        memcpy(fill, start, (size_t)nc * sizeof(ib_ssize));
        for (ib_ssize i = 0; i < n; i++) {
            ib_ssize p = fill[cell[i]]++;
            idx[p] = i;
            X[p] = x[i];
            Y[p] = y[i];
        }
        free(fill);
    }
    int over = 0;
    ib_ssize total = 0;
    /* slack for rounding in the cell assignment and in the bounds (errors of
     * a few ulps of the magnitudes involved): the stopping bound is lowered
     * by it, so the search only ever looks further than needed */
    double mag = fabs(box_x0) > fabs(box_x1) ? fabs(box_x0) : fabs(box_x1);
    mag = fabs(box_y0) > mag ? fabs(box_y0) : mag;
    mag = fabs(box_y1) > mag ? fabs(box_y1) : mag;
{
        ib_grid_ctx GX = {n, k, gx, gy, max_work, X, Y, idx, cell, start, h,
                          box_x0, box_y0, mag, eps, &over, &total};
        ib_ssize nch = (n + IB_GRID_CHUNK - 1) / IB_GRID_CHUNK;
        /* work: a ring search per point, ~8 plain log terms' time */
        ib_engine_job job = {1, nch, 0, n > PTRDIFF_MAX / 8 ? PTRDIFF_MAX : 8 * n,
                             IB_PAR_THRESHOLD, ib_grid_unit, NULL, &GX, 0};
        if (ib_engine_run(&job, NULL) != IB_OK) {
            free(start);
            free(idx);
            free(cell);
            free(X);
            free(Y);
            return IB_ENOMEM;
        }
    }
    *work = total;
    free(start);
    free(idx);
    free(cell);
    free(X);
    free(Y);
    return over ? IB_EBUDGET : IB_OK;
}
