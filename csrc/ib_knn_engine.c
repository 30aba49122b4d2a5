/* The neighbour engine (see ib_knn_engine.h): a k-d tree over a space of
 * grouped coordinates, its k-th-neighbour and radius-count queries, and the
 * one-dimensional sorted fast paths.  Every query loop is an engine job. */
#include "ib_knn_engine.h"
#include "ib_engine.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Points per leaf (at most). */
#define IB_KS_LEAF 12
/* Query points per engine unit. */
#define IB_KS_CHUNK 256
/* Parallel threshold, in query points: a tree query costs ~0.3-2 us, so
 * 64 of them are ~50 us of work, the region's fork and join ~1 us. */
#define IB_PAR_KNN_POINTS 64
/* k up to this many keeps its best-list on the stack. */
#define IB_KS_KSTACK 64

typedef struct {
    ib_ssize lo, hi;       /* tree positions [lo, hi) */
    ib_ssize left, right;  /* children, -1 for a leaf */
} ib_knode;

struct ib_kspace {
    ib_ssize n, d, ng;
    ib_ssize gstart[IB_KS_MAXG + 1];  /* dims of group g: [gstart[g], gstart[g+1]) */
    int gof[64];                       /* group of each dim (d <= 64: see build) */
    double *pts;       /* n * d, tree order (1-D: sorted) */
    ib_ssize *idx;     /* tree position -> original index */
    ib_ssize *pos;     /* original index -> tree position */
    int64_t *time;     /* time stamp of each original index (increasing) */
    ib_ssize nnodes, cap;
    ib_knode *nodes;
    double *box;       /* nnodes * 2d: lo[0..d), hi[0..d) */
};

ib_ssize ib_kspace_n(const ib_kspace *s) { return s->n; }
ib_ssize ib_kspace_d(const ib_kspace *s) { return s->d; }

/* ------------------------------------------------------------ building -- */

typedef struct {
    const double *x;   /* original rows */
    ib_ssize d;
    ib_ssize *perm;    /* positions -> original index, being arranged */
    ib_kspace *s;
} ib_kbuild;

static inline double kb_key(const ib_kbuild *B, ib_ssize p, int dim)
{
    return B->x[B->perm[p] * B->d + dim];
}

static inline void kb_swap(ib_ssize *a, ib_ssize i, ib_ssize j)
{
    ib_ssize t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Arrange perm[lo..hi) so that position m holds its order statistic along
 * dim, smaller-or-equal keys before it and greater-or-equal after (three-way
 * partitions around a median-of-three pivot: duplicates cost no extra). */
static void kb_select(ib_kbuild *B, ib_ssize lo, ib_ssize hi, ib_ssize m, int dim)
{
    ib_ssize *P = B->perm;
    while (hi - lo > 1) {
        ib_ssize mid = lo + (hi - lo) / 2;
        double a = kb_key(B, lo, dim), b = kb_key(B, mid, dim), c = kb_key(B, hi - 1, dim);
        double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        /* three-way: [lo, lt) < piv, [lt, i) == piv, (gt, hi) > piv */
        ib_ssize lt = lo, i = lo, gt = hi - 1;
        while (i <= gt) {
            double v = kb_key(B, i, dim);
            if (v < piv)
                kb_swap(P, lt++, i++);
            else if (v > piv)
                kb_swap(P, i, gt--);
            else
                i++;
        }
        if (m < lt)
            hi = lt;
        else if (m > gt)
            lo = gt + 1;
        else
            return;
    }
}

static ib_ssize kb_node(ib_kbuild *B, ib_ssize lo, ib_ssize hi)
{
    ib_kspace *s = B->s;
    const ib_ssize d = B->d;
    ib_ssize id = s->nnodes++;
    double *lb = s->box + (size_t)id * 2 * d, *ub = lb + d;
    for (ib_ssize c = 0; c < d; c++) {
        lb[c] = INFINITY;
        ub[c] = -INFINITY;
    }
    for (ib_ssize p = lo; p < hi; p++) {
        const double *r = B->x + B->perm[p] * d;
        for (ib_ssize c = 0; c < d; c++) {
            lb[c] = r[c] < lb[c] ? r[c] : lb[c];
            ub[c] = r[c] > ub[c] ? r[c] : ub[c];
        }
    }
    ib_knode *nd = &s->nodes[id];
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = -1;
    if (hi - lo <= IB_KS_LEAF)
        return id;
    int dim = 0;
    double w = -1.0;
    for (ib_ssize c = 0; c < d; c++) {
        double e = ub[c] - lb[c];
        if (e > w) {
            w = e;
            dim = (int)c;
        }
    }
    if (!(w > 0.0))   /* all points equal: one (large) leaf */
        return id;
    ib_ssize mid = lo + (hi - lo) / 2;
    kb_select(B, lo, hi, mid, dim);
    ib_ssize l = kb_node(B, lo, mid);
    ib_ssize r = kb_node(B, mid, hi);
    s->nodes[id].left = l;   /* (s->nodes is not reallocated: capacity fixed) */
    s->nodes[id].right = r;
    return id;
}

void ib_kspace_free(ib_kspace *s)
{
    if (!s)
        return;
    free(s->pts);
    free(s->idx);
    free(s->pos);
    free(s->time);
    free(s->nodes);
    free(s->box);
    free(s);
}

static void ks_sort_leaf_1d(ib_kspace *s, ib_ssize lo, ib_ssize hi)
{
    /* insertion sort of (pts, idx) on [lo, hi), ties by original index */
    for (ib_ssize p = lo + 1; p < hi; p++) {
        double v = s->pts[p];
        ib_ssize o = s->idx[p];
        ib_ssize q = p;
        while (q > lo && (s->pts[q - 1] > v || (s->pts[q - 1] == v && s->idx[q - 1] > o))) {
            s->pts[q] = s->pts[q - 1];
            s->idx[q] = s->idx[q - 1];
            q--;
        }
        s->pts[q] = v;
        s->idx[q] = o;
    }
}

int ib_kspace_build(ib_ssize n, ib_ssize d, const double *x, ib_ssize ng,
                    const ib_ssize *gdims, const int64_t *times, ib_kspace **out)
{
    *out = NULL;
    if (n < 0 || d < 1 || d > 64 || ng < 1 || ng > IB_KS_MAXG)
        return IB_EINVAL;
    ib_ssize tot = 0;
    for (ib_ssize g = 0; g < ng; g++) {
        if (gdims[g] < 1)
            return IB_EINVAL;
        tot += gdims[g];
    }
    if (tot != d)
        return IB_EINVAL;
    ib_kspace *s = calloc(1, sizeof(ib_kspace));
    if (!s)
        return IB_ENOMEM;
    s->n = n;
    s->d = d;
    s->ng = ng;
    s->gstart[0] = 0;
    for (ib_ssize g = 0; g < ng; g++) {
        s->gstart[g + 1] = s->gstart[g] + gdims[g];
        for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++)
            s->gof[c] = (int)g;
    }
    size_t nn = (size_t)(n > 0 ? n : 1);
    /* nodes: each split halves the range, leaves hold >= IB_KS_LEAF/2 + 1
     * points; 4n / IB_KS_LEAF + 8 bounds the count */
    s->cap = 4 * (n / IB_KS_LEAF) + 8;
    s->pts = malloc(nn * (size_t)d * sizeof(double));
    s->idx = malloc(nn * sizeof(ib_ssize));
    s->pos = malloc(nn * sizeof(ib_ssize));
    s->nodes = malloc((size_t)s->cap * sizeof(ib_knode));
    s->box = malloc((size_t)s->cap * 2 * (size_t)d * sizeof(double));
    s->time = malloc(nn * sizeof(int64_t));
    if (!s->pts || !s->idx || !s->pos || !s->nodes || !s->box || !s->time) {
        ib_kspace_free(s);
        return IB_ENOMEM;
    }
    for (ib_ssize i = 0; i < n; i++) {
        s->time[i] = times ? times[i] : (int64_t)i;
        if (i > 0 && !(s->time[i] > s->time[i - 1])) {
            ib_kspace_free(s);
            return IB_EINVAL;
        }
    }
    for (ib_ssize i = 0; i < n; i++)
        s->idx[i] = i;
    if (n > 0) {
        ib_kbuild B = {x, d, s->idx, s};
        kb_node(&B, 0, n);
    }
    for (ib_ssize p = 0; p < n; p++) {
        memcpy(s->pts + p * d, x + s->idx[p] * d, (size_t)d * sizeof(double));
    }
    if (d == 1) {
        for (ib_ssize t = 0; t < s->nnodes; t++)
            if (s->nodes[t].left < 0)
                ks_sort_leaf_1d(s, s->nodes[t].lo, s->nodes[t].hi);
    }
    for (ib_ssize p = 0; p < n; p++)
        s->pos[s->idx[p]] = p;
    *out = s;
    return IB_OK;
}

/* ------------------------------------------------------------ distances -- */

/* Distance between rows a and b (the joint norm: max over groups). */
static inline double ks_dist(const ib_kspace *s, int metric, const double *a,
                             const double *b)
{
    const ib_ssize d = s->d;
    double m = 0.0;
    if (metric == IB_METRIC_MAX) {
        for (ib_ssize c = 0; c < d; c++) {
            double t = fabs(a[c] - b[c]);
            m = t > m ? t : m;
        }
        return m;
    }
    for (ib_ssize g = 0; g < s->ng; g++) {
        double acc = 0.0;
        for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++) {
            double t = fabs(a[c] - b[c]);
            acc += t * t;
        }
        acc = sqrt(acc);
        m = acc > m ? acc : m;
    }
    return m;
}

/* Distance of group g between rows a and b. */
static inline double ks_gdist(const ib_kspace *s, int metric, ib_ssize g,
                              const double *a, const double *b)
{
    double m = 0.0;
    if (metric == IB_METRIC_MAX) {
        for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++) {
            double t = fabs(a[c] - b[c]);
            m = t > m ? t : m;
        }
        return m;
    }
    for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++) {
        double t = fabs(a[c] - b[c]);
        m += t * t;
    }
    return sqrt(m);
}

/* Smallest distance from q to node t's box (a lower bound for its points,
 * computed with the same monotone operations as ks_dist). */
static inline double ks_boxdist(const ib_kspace *s, int metric, ib_ssize t,
                                const double *q)
{
    const ib_ssize d = s->d;
    const double *lb = s->box + (size_t)t * 2 * d, *ub = lb + d;
    double m = 0.0;
    if (metric == IB_METRIC_MAX) {
        for (ib_ssize c = 0; c < d; c++) {
            double a = lb[c] - q[c], b = q[c] - ub[c];
            double e = a > b ? a : b;
            m = e > m ? e : m;
        }
        return m;
    }
    for (ib_ssize g = 0; g < s->ng; g++) {
        double acc = 0.0;
        for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++) {
            double a = lb[c] - q[c], b = q[c] - ub[c];
            double e = a > b ? a : b;
            e = e > 0.0 ? e : 0.0;
            acc += e * e;
        }
        acc = sqrt(acc);
        m = acc > m ? acc : m;
    }
    return m;
}

/* ------------------------------------------------------------- k-th NN -- */

/* Are original points j and i within the Theiler window of each other? */
static inline int ks_near_in_time(const ib_kspace *s, ib_ssize j, ib_ssize i,
                                  ib_ssize theiler)
{
    int64_t dt = s->time[j] - s->time[i];
    return dt <= (int64_t)theiler && -dt <= (int64_t)theiler;
}

/* The window of original point i: [*j0, *j1] (times increase with the
 * index, so the window is a contiguous run of indices). */
static inline void ks_window_of(const ib_kspace *s, ib_ssize i, ib_ssize theiler,
                                ib_ssize *j0, ib_ssize *j1)
{
    ib_ssize a = i, b = i;
    while (a > 0 && s->time[i] - s->time[a - 1] <= (int64_t)theiler)
        a--;
    while (b + 1 < s->n && s->time[b + 1] - s->time[i] <= (int64_t)theiler)
        b++;
    *j0 = a;
    *j1 = b;
}

typedef struct {
    const ib_kspace *s;
    const double *q;
    ib_ssize self;      /* original index of the query, or -1 */
    ib_ssize theiler;
    ib_ssize k;
    int metric;
    double *bd;         /* k best distances, ascending */
    ib_ssize *bp;       /* their tree positions */
} ib_kq;

static inline void kq_insert(ib_kq *Q, double dist, ib_ssize p)
{
    ib_ssize j = Q->k - 1;
    while (j > 0 && Q->bd[j - 1] > dist) {
        Q->bd[j] = Q->bd[j - 1];
        Q->bp[j] = Q->bp[j - 1];
        j--;
    }
    Q->bd[j] = dist;
    Q->bp[j] = p;
}

static void kq_leaf(ib_kq *Q, const ib_knode *nd)
{
    const ib_kspace *s = Q->s;
    const ib_ssize d = s->d;
    const double *q = Q->q;
    for (ib_ssize p = nd->lo; p < nd->hi; p++) {
        if (Q->self >= 0 && ks_near_in_time(s, s->idx[p], Q->self, Q->theiler))
            continue;
        double dist = ks_dist(s, Q->metric, s->pts + p * d, q);
        if (dist < Q->bd[Q->k - 1])
            kq_insert(Q, dist, p);
    }
}

static void kq_search(ib_kq *Q, ib_ssize t)
{
    const ib_knode *nd = &Q->s->nodes[t];
    if (nd->left < 0) {
        kq_leaf(Q, nd);
        return;
    }
    ib_ssize a = nd->left, b = nd->right;
    double da = ks_boxdist(Q->s, Q->metric, a, Q->q);
    double db = ks_boxdist(Q->s, Q->metric, b, Q->q);
    if (db < da) {
        ib_ssize tt = a;
        a = b;
        b = tt;
        double td = da;
        da = db;
        db = td;
    }
    if (da < Q->bd[Q->k - 1])
        kq_search(Q, a);
    if (db < Q->bd[Q->k - 1])
        kq_search(Q, b);
}

/* One-dimensional: k-th neighbour of sorted position p by a merge of the
 * left and right gaps, skipping the Theiler window.  q is the query value;
 * for external queries self = -1 and p = the first position >= q. */
static void kq_1d(const ib_kspace *s, double q, ib_ssize p, ib_ssize self,
                  ib_ssize theiler, ib_ssize k, double *bd, ib_ssize *bp)
{
    const double *v = s->pts;
    const ib_ssize n = s->n;
    ib_ssize l = self >= 0 ? p - 1 : p - 1, r = self >= 0 ? p + 1 : p;
    for (ib_ssize c = 0; c < k; c++) {
        if (self >= 0) {
            while (l >= 0 && ks_near_in_time(s, s->idx[l], self, theiler))
                l--;
            while (r < n && ks_near_in_time(s, s->idx[r], self, theiler))
                r++;
        }
        double dl = l >= 0 ? q - v[l] : INFINITY;
        double dr = r < n ? v[r] - q : INFINITY;
        if (dl <= dr) {
            bd[c] = dl;
            bp[c] = l--;
        } else {
            bd[c] = dr;
            bp[c] = r++;
        }
    }
}

typedef struct {
    const ib_kspace *s;
    ib_ssize k, theiler, m;
    int metric;
    const double *qpts;   /* external queries (m x d) or NULL */
    double *eps, *geps;
} ib_kknn_ctx;

static ib_ssize ks_knn_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kknn_ctx *X = vc;
    const ib_kspace *s = X->s;
    const ib_ssize d = s->d, k = X->k, ng = s->ng;
    double bds[IB_KS_KSTACK];
    ib_ssize bps[IB_KS_KSTACK];
    double *bd = bds;
    ib_ssize *bp = bps;
    (void)g;
    (void)part;
    if (k > IB_KS_KSTACK) {
        bd = malloc((size_t)k * sizeof(double));
        bp = malloc((size_t)k * sizeof(ib_ssize));
        if (!bd || !bp) {
            free(bd);
            free(bp);
            return 0;   /* flagged: out of memory */
        }
    }
    const ib_ssize nq = X->qpts ? X->m : s->n;
    ib_ssize p0 = c * IB_KS_CHUNK, p1 = p0 + IB_KS_CHUNK < nq ? p0 + IB_KS_CHUNK : nq;
    ib_kq Q = {s, NULL, -1, X->theiler, k, X->metric, bd, bp};
    for (ib_ssize p = p0; p < p1; p++) {
        ib_ssize oi;
        if (X->qpts) {
            Q.q = X->qpts + p * d;
            Q.self = -1;
            oi = p;
        } else {
            Q.q = s->pts + p * d;
            Q.self = s->idx[p];
            oi = Q.self;
        }
        if (d == 1) {
            ib_ssize start = p;
            if (X->qpts) {
                /* first sorted position >= q */
                ib_ssize lo = 0, hi = s->n;
                double qv = Q.q[0];
                while (lo < hi) {
                    ib_ssize mid = lo + (hi - lo) / 2;
                    if (s->pts[mid] < qv)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                start = lo;
            }
            kq_1d(s, Q.q[0], start, Q.self, X->theiler, k, bd, bp);
        } else {
            for (ib_ssize j = 0; j < k; j++) {
                bd[j] = INFINITY;
                bp[j] = -1;
            }
            kq_search(&Q, 0);
        }
        X->eps[oi] = bd[k - 1];
        if (X->geps) {
            double *ge = X->geps + oi * ng;
            for (ib_ssize gg = 0; gg < ng; gg++)
                ge[gg] = 0.0;
            for (ib_ssize j = 0; j < k; j++) {
                const double *r = s->pts + bp[j] * d;
                for (ib_ssize gg = 0; gg < ng; gg++) {
                    double t = ks_gdist(s, X->metric, gg, r, Q.q);
                    ge[gg] = t > ge[gg] ? t : ge[gg];
                }
            }
        }
    }
    if (bd != bds) {
        free(bd);
        free(bp);
    }
    return -1;
}

/* Largest number of points a Theiler window takes out (itself included). */
static ib_ssize ks_window(const ib_kspace *s, ib_ssize theiler)
{
    ib_ssize w = 0, a = 0, b = 0;
    for (ib_ssize i = 0; i < s->n; i++) {   /* two pointers: [a, b] */
        while (s->time[i] - s->time[a] > (int64_t)theiler)
            a++;
        if (b < i)
            b = i;
        while (b + 1 < s->n && s->time[b + 1] - s->time[i] <= (int64_t)theiler)
            b++;
        w = b - a + 1 > w ? b - a + 1 : w;
    }
    return w;
}

int ib_kspace_knn(const ib_kspace *s, ib_ssize k, int metric, ib_ssize theiler,
                  double *eps, double *geps)
{
    if (k < 1 || theiler < 0 || (metric != IB_METRIC_MAX && metric != IB_METRIC_EUCLID))
        return IB_EINVAL;
    if (s->n == 0)
        return IB_OK;
    if (k > s->n - (theiler == 0 ? 1 : ks_window(s, theiler)))
        return IB_EINVAL;
    ib_kknn_ctx X = {s, k, theiler, 0, metric, NULL, eps, geps};
    ib_ssize nch = (s->n + IB_KS_CHUNK - 1) / IB_KS_CHUNK;
    ib_engine_job job = {1, nch, 0, s->n, IB_PAR_KNN_POINTS, ks_knn_unit, NULL, &X};
    ib_ssize flag = -1;
    int st = ib_engine_run(&job, &flag);
    if (st != IB_OK)
        return st;
    return flag >= 0 ? IB_ENOMEM : IB_OK;
}

int ib_kspace_knn_points(const ib_kspace *s, ib_ssize m, const double *pts,
                         ib_ssize k, int metric, double *eps)
{
    if (k < 1 || k > s->n || m < 0
        || (metric != IB_METRIC_MAX && metric != IB_METRIC_EUCLID))
        return IB_EINVAL;
    if (m == 0)
        return IB_OK;
    ib_kknn_ctx X = {s, k, 0, m, metric, pts, eps, NULL};
    ib_ssize nch = (m + IB_KS_CHUNK - 1) / IB_KS_CHUNK;
    ib_engine_job job = {1, nch, 0, m, IB_PAR_KNN_POINTS, ks_knn_unit, NULL, &X};
    ib_ssize flag = -1;
    int st = ib_engine_run(&job, &flag);
    if (st != IB_OK)
        return st;
    return flag >= 0 ? IB_ENOMEM : IB_OK;
}

/* -------------------------------------------------------------- counts -- */

typedef struct {
    const ib_kspace *s;
    const double *q;
    int metric, strict;
    double rg[IB_KS_MAXG];   /* radius per group */
    double rd[64];           /* radius per dim (max-norm) */
} ib_kc;

/* Does row a lie within the query's radii? */
static inline int kc_inside(const ib_kc *C, const double *a)
{
    const ib_kspace *s = C->s;
    const double *q = C->q;
    if (C->metric == IB_METRIC_MAX) {
        if (C->strict) {
            for (ib_ssize c = 0; c < s->d; c++)
                if (!(fabs(a[c] - q[c]) < C->rd[c]))
                    return 0;
        } else {
            for (ib_ssize c = 0; c < s->d; c++)
                if (!(fabs(a[c] - q[c]) <= C->rd[c]))
                    return 0;
        }
        return 1;
    }
    for (ib_ssize g = 0; g < s->ng; g++) {
        double t = ks_gdist(s, C->metric, g, a, q);
        if (C->strict ? !(t < C->rg[g]) : !(t <= C->rg[g]))
            return 0;
    }
    return 1;
}

/* 1: every point of node t's box is inside, -1: none can be, 0: either. */
static inline int kc_box(const ib_kc *C, ib_ssize t)
{
    const ib_kspace *s = C->s;
    const ib_ssize d = s->d;
    const double *lb = s->box + (size_t)t * 2 * d, *ub = lb + d;
    const double *q = C->q;
    int all = 1;
    if (C->metric == IB_METRIC_MAX) {
        for (ib_ssize c = 0; c < d; c++) {
            double r = C->rd[c];
            double nearlo = lb[c] - q[c], nearhi = q[c] - ub[c];
            double farlo = q[c] - lb[c], farhi = ub[c] - q[c];
            double near = nearlo > nearhi ? nearlo : nearhi;
            double far = farlo > farhi ? farlo : farhi;
            if (C->strict) {
                if (near >= r)
                    return -1;
                if (!(far < r))
                    all = 0;
            } else {
                if (near > r)
                    return -1;
                if (!(far <= r))
                    all = 0;
            }
        }
        return all;
    }
    for (ib_ssize g = 0; g < s->ng; g++) {
        double an = 0.0, af = 0.0;
        for (ib_ssize c = s->gstart[g]; c < s->gstart[g + 1]; c++) {
            double nearlo = lb[c] - q[c], nearhi = q[c] - ub[c];
            double farlo = q[c] - lb[c], farhi = ub[c] - q[c];
            double near = nearlo > nearhi ? nearlo : nearhi;
            double far = farlo > farhi ? farlo : farhi;
            near = near > 0.0 ? near : 0.0;
            an += near * near;
            af += far * far;
        }
        an = sqrt(an);
        af = sqrt(af);
        double r = C->rg[g];
        if (C->strict) {
            if (an >= r)
                return -1;
            if (!(af < r))
                all = 0;
        } else {
            if (an > r)
                return -1;
            if (!(af <= r))
                all = 0;
        }
    }
    return all;
}

static ib_ssize kc_count(const ib_kc *C, ib_ssize t)
{
    const ib_knode *nd = &C->s->nodes[t];
    int b = kc_box(C, t);
    if (b > 0)
        return nd->hi - nd->lo;
    if (b < 0)
        return 0;
    if (nd->left < 0) {
        ib_ssize cnt = 0;
        const ib_ssize d = C->s->d;
        for (ib_ssize p = nd->lo; p < nd->hi; p++)
            cnt += kc_inside(C, C->s->pts + p * d);
        return cnt;
    }
    return kc_count(C, nd->left) + kc_count(C, nd->right);
}

/* One-dimensional: [a, b) = the sorted positions around p whose values v
 * satisfy |v - q| < r (strict) or <= r, by galloping and binary searches
 * outwards from p (which satisfies it: r > 0 strict, r >= 0 otherwise). */
static inline void kc_range_1d(const double *v, ib_ssize n, ib_ssize p, double q,
                               double r, int strict, ib_ssize *pa, ib_ssize *pb)
{
#define IB_IN1(j) (strict ? (q - v[j] < r) : (q - v[j] <= r))
#define IB_IN2(j) (strict ? (v[j] - q < r) : (v[j] - q <= r))
    ib_ssize hi = p, step = 1, lo;
    for (;;) {
        lo = p - step;
        if (lo < 0) {
            lo = -1;
            break;
        }
        if (!IB_IN1(lo))
            break;
        hi = lo;
        step *= 2;
    }
    while (hi - lo > 1) {
        ib_ssize mid = lo + (hi - lo) / 2;
        if (IB_IN1(mid))
            hi = mid;
        else
            lo = mid;
    }
    *pa = hi;
    ib_ssize a = p, b;
    step = 1;
    for (;;) {
        b = p + step;
        if (b >= n) {
            b = n;
            break;
        }
        if (!IB_IN2(b))
            break;
        a = b;
        step *= 2;
    }
    while (b - a > 1) {
        ib_ssize mid = a + (b - a) / 2;
        if (IB_IN2(mid))
            a = mid;
        else
            b = mid;
    }
    *pb = a + 1;
#undef IB_IN1
#undef IB_IN2
}

typedef struct {
    const ib_kspace *s;
    const double *r;
    ib_ssize nr, theiler;
    int metric, strict;
    int64_t *out;
} ib_kcount_ctx;

static void kc_setr(ib_kc *C, const double *r, ib_ssize nr)
{
    const ib_kspace *s = C->s;
    for (ib_ssize g = 0; g < s->ng; g++)
        C->rg[g] = r[nr == 1 ? 0 : g];
    for (ib_ssize c = 0; c < s->d; c++)
        C->rd[c] = C->rg[s->gof[c]];
}

static ib_ssize ks_count_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kcount_ctx *X = vc;
    const ib_kspace *s = X->s;
    const ib_ssize d = s->d, n = s->n, T = X->theiler;
    (void)g;
    (void)part;
    ib_ssize p0 = c * IB_KS_CHUNK, p1 = p0 + IB_KS_CHUNK < n ? p0 + IB_KS_CHUNK : n;
    ib_kc C;
    C.s = s;
    C.metric = X->metric;
    C.strict = X->strict;
    for (ib_ssize p = p0; p < p1; p++) {
        ib_ssize i = s->idx[p];
        C.q = s->pts + p * d;
        kc_setr(&C, X->r + i * X->nr, X->nr);
        ib_ssize cnt;
        if (d == 1) {
            double r = C.rg[0];
            if (X->strict ? !(r > 0.0) : !(r >= 0.0)) {
                X->out[i] = 0;   /* nothing within (not even i itself) */
                continue;
            }
            ib_ssize a, b;
            kc_range_1d(s->pts, n, p, C.q[0], r, X->strict, &a, &b);
            cnt = b - a;
        } else {
            cnt = kc_count(&C, 0);
        }
        /* take off the window's points (i included) that were counted */
        ib_ssize j0, j1;
        ks_window_of(s, i, T, &j0, &j1);
        for (ib_ssize j = j0; j <= j1; j++)
            cnt -= kc_inside(&C, s->pts + s->pos[j] * d);
        X->out[i] = (int64_t)cnt;
    }
    return -1;
}

int ib_kspace_count(const ib_kspace *s, const double *r, ib_ssize nr,
                    int metric, int strict, ib_ssize theiler, int64_t *out)
{
    if ((nr != 1 && nr != s->ng) || theiler < 0
        || (metric != IB_METRIC_MAX && metric != IB_METRIC_EUCLID))
        return IB_EINVAL;
    if (s->n == 0)
        return IB_OK;
    ib_kcount_ctx X = {s, r, nr, theiler, metric, strict != 0, out};
    ib_ssize nch = (s->n + IB_KS_CHUNK - 1) / IB_KS_CHUNK;
    ib_engine_job job = {1, nch, 0, s->n, IB_PAR_KNN_POINTS, ks_count_unit, NULL, &X};
    return ib_engine_run(&job, NULL);
}

/* ------------------------------------------- counts in a 1-D ball's range -- */

typedef struct {
    const ib_kspace *zs;
    const double *rz;
    int strict, metric;
    ib_ssize theiler, ns;
    int64_t *cz;
    const double *const *v;   /* gathered in zs's order: ns arrays n x dv[t] */
    const ib_ssize *dv;
    const double *const *rv;  /* radius per original index */
    int64_t *const *out;
} ib_krange_ctx;

static inline int kr_inside(const double *a, const double *q, ib_ssize d, int metric,
                            int strict, double r)
{
    double m = 0.0;
    if (metric == IB_METRIC_MAX) {
        for (ib_ssize c = 0; c < d; c++) {
            double t = fabs(a[c] - q[c]);
            m = t > m ? t : m;
        }
    } else {
        for (ib_ssize c = 0; c < d; c++) {
            double t = fabs(a[c] - q[c]);
            m += t * t;
        }
        m = sqrt(m);
    }
    return strict ? m < r : m <= r;
}

/* Count of j in [a, b) with |v[j] - q| within r, one-dimensional v (the
 * common case: a branch-free loop the compiler vectorises). */
static ib_ssize kr_count_1d(const double *v, ib_ssize a, ib_ssize b, double q,
                            double r, int strict)
{
    ib_ssize cnt = 0;
    if (strict) {
        for (ib_ssize j = a; j < b; j++)
            cnt += fabs(v[j] - q) < r;
    } else {
        for (ib_ssize j = a; j < b; j++)
            cnt += fabs(v[j] - q) <= r;
    }
    return cnt;
}

static ib_ssize ks_range_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_krange_ctx *X = vc;
    const ib_kspace *zs = X->zs;
    const ib_ssize n = zs->n, T = X->theiler;
    (void)g;
    (void)part;
    ib_ssize p0 = c * IB_KS_CHUNK, p1 = p0 + IB_KS_CHUNK < n ? p0 + IB_KS_CHUNK : n;
    for (ib_ssize p = p0; p < p1; p++) {
        ib_ssize i = zs->idx[p];
        double r = X->rz[i], q = zs->pts[p];
        ib_ssize a = p, b = p;
        if (X->strict ? (r > 0.0) : (r >= 0.0))
            kc_range_1d(zs->pts, n, p, q, r, X->strict, &a, &b);
        ib_ssize cnt = b - a;
        ib_ssize j0, j1;
        ks_window_of(zs, i, T, &j0, &j1);
        for (ib_ssize j = j0; j <= j1; j++) {
            ib_ssize pj = zs->pos[j];
            cnt -= (pj >= a && pj < b);
        }
        X->cz[i] = (int64_t)cnt;
        for (ib_ssize t = 0; t < X->ns; t++) {
            const ib_ssize dv = X->dv[t];
            const double *v = X->v[t];
            const double *qv = v + p * dv;
            double rv = X->rv[t][i];
            ib_ssize m;
            if (dv == 1) {
                m = kr_count_1d(v, a, b, qv[0], rv, X->strict);
            } else {
                m = 0;
                for (ib_ssize j = a; j < b; j++)
                    m += kr_inside(v + j * dv, qv, dv, X->metric, X->strict, rv);
            }
            for (ib_ssize j = j0; j <= j1; j++) {
                ib_ssize pj = zs->pos[j];
                if (pj >= a && pj < b)
                    m -= kr_inside(v + pj * dv, qv, dv, X->metric, X->strict, rv);
            }
            X->out[t][i] = (int64_t)m;
        }
    }
    return -1;
}

int ib_kspace_count_in_range(const ib_kspace *zs, const double *rz, int strict,
                             ib_ssize theiler, int64_t *cz, ib_ssize ns,
                             const double *const *v, const ib_ssize *dv,
                             const double *const *rv, int metric,
                             int64_t *const *out)
{
    if (zs->d != 1 || theiler < 0 || ns < 0 || ns > IB_KS_MAXG
        || (metric != IB_METRIC_MAX && metric != IB_METRIC_EUCLID))
        return IB_EINVAL;
    const ib_ssize n = zs->n;
    if (n == 0)
        return IB_OK;
    /* the other variables' rows gathered into zs's sorted order, so that a
     * z ball's candidates are contiguous */
    double *g[IB_KS_MAXG] = {NULL};
    int st = IB_OK;
    for (ib_ssize t = 0; t < ns; t++) {
        if (dv[t] < 1) {
            st = IB_EINVAL;
            break;
        }
        g[t] = malloc((size_t)n * (size_t)dv[t] * sizeof(double));
        if (!g[t]) {
            st = IB_ENOMEM;
            break;
        }
        for (ib_ssize p = 0; p < n; p++)
            memcpy(g[t] + p * dv[t], v[t] + zs->idx[p] * dv[t],
                   (size_t)dv[t] * sizeof(double));
    }
    if (st == IB_OK) {
        ib_krange_ctx X = {zs, rz, strict != 0, metric, theiler, ns, cz,
                           (const double *const *)g, dv, rv, out};
        ib_ssize nch = (n + IB_KS_CHUNK - 1) / IB_KS_CHUNK;
        ib_engine_job job = {1, nch, 0, n, IB_PAR_KNN_POINTS, ks_range_unit, NULL, &X};
        st = ib_engine_run(&job, NULL);
    }
    for (ib_ssize t = 0; t < ns; t++)
        free(g[t]);
    return st;
}
