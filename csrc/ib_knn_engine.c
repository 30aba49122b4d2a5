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
    double split;          /* left keys <= split <= right keys, along dim */
    ib_ssize dim;
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

/* Subtrees below this depth are built as separate engine units (each in
 * its own node store, appended in a fixed order afterwards): the build
 * runs on several threads with the same tree whatever their number. */
#define IB_KS_TASK_DEPTH 3
#define IB_KS_MAXTASK (1 << IB_KS_TASK_DEPTH)
/* Spaces smaller than this are built in one piece. */
#define IB_KS_PAR_BUILD 16384

typedef struct {
    ib_knode *nodes;
    double *box;
    ib_ssize nn, cap;
} ib_kstore;

typedef struct {
    ib_ssize lo, hi;
    double loose[128];
    ib_kstore st;
} ib_ktask;

typedef struct {
    const double *x;   /* original rows */
    ib_ssize d;
    ib_ssize *perm;    /* positions -> original index, being arranged */
    ib_kstore *st;     /* where the nodes go */
    ib_ssize task_depth;   /* 0: no tasks; else subtrees at this depth are tasks */
    ib_ssize ntask;
    ib_ktask *task;
} ib_kbuild;

/* A child index below -1 stands for task -(2 + t) until the merge. */
#define IB_KS_TASKREF(t) (-2 - (t))

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

/* Node over perm[lo..hi).  The split dimension is the widest side of the
 * node's loose box (its parent's box cut at the split, the data's box at
 * the root): no pass over the points per level.  The tight box (what the
 * searches prune with) is the leaf's points' box, or the union of the
 * children's, filled on the way back up. */
static ib_ssize kb_node(ib_kbuild *B, ib_ssize lo, ib_ssize hi, const double *llo,
                        const double *lhi, ib_ssize depth)
{
    ib_kstore *s = B->st;
    const ib_ssize d = B->d;
    if (B->task_depth > 0 && depth == B->task_depth && hi - lo > IB_KS_LEAF) {
        ib_ktask *T = &B->task[B->ntask];
        T->lo = lo;
        T->hi = hi;
        for (ib_ssize c = 0; c < d; c++) {
            T->loose[c] = llo[c];
            T->loose[64 + c] = lhi[c];
        }
        return IB_KS_TASKREF(B->ntask++);
    }
    ib_ssize id = s->nn++;
    double *lb = s->box + (size_t)id * 2 * d, *ub = lb + d;
    ib_knode *nd = &s->nodes[id];
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = -1;
    int dim = 0;
    double w = -1.0;
    for (ib_ssize c = 0; c < d; c++) {
        double e = lhi[c] - llo[c];
        if (e > w) {
            w = e;
            dim = (int)c;
        }
    }
    if (hi - lo <= IB_KS_LEAF || !(w > 0.0)) {
        /* a leaf (or all points equal along every side: one large leaf) */
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
        if (hi - lo > IB_KS_LEAF) {
            /* the loose box was flat but the points may still differ
             * (a loose box can be wider than needed, never narrower):
             * split on the tight box if it has width */
            w = -1.0;
            for (ib_ssize c = 0; c < d; c++) {
                double e = ub[c] - lb[c];
                if (e > w) {
                    w = e;
                    dim = (int)c;
                }
            }
            if (!(w > 0.0))
                return id;
        } else {
            return id;
        }
    }
    ib_ssize mid = lo + (hi - lo) / 2;
    kb_select(B, lo, hi, mid, dim);
    double sp = kb_key(B, mid, dim);
    nd->dim = dim;
    nd->split = sp;
    double cl[128];   /* loose boxes of the children: d <= 64 */
    for (ib_ssize c = 0; c < d; c++) {
        cl[c] = llo[c];
        cl[64 + c] = lhi[c];
    }
    cl[64 + dim] = sp;
    ib_ssize l = kb_node(B, lo, mid, cl, cl + 64, depth + 1);
    cl[64 + dim] = lhi[dim];
    cl[dim] = sp;
    ib_ssize r = kb_node(B, mid, hi, cl, cl + 64, depth + 1);
    nd = &s->nodes[id];
    nd->left = l;
    nd->right = r;
    if (l < -1 || r < -1)
        return id;   /* a task's box: filled after the merge */
    const double *al = s->box + (size_t)l * 2 * d, *bl = s->box + (size_t)r * 2 * d;
    for (ib_ssize c = 0; c < d; c++) {
        lb[c] = al[c] < bl[c] ? al[c] : bl[c];
        ub[c] = al[d + c] > bl[d + c] ? al[d + c] : bl[d + c];
    }
    return id;
}


typedef struct {
    const double *x;
    ib_ssize d;
    ib_ssize *perm;
    ib_ktask *task;
} ib_ktask_ctx;

static ib_ssize kb_task_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_ktask_ctx *X = vc;
    ib_ktask *T = &X->task[c];
    (void)g;
    (void)part;
    const ib_ssize d = X->d, m = T->hi - T->lo;
    T->st.cap = 4 * (m / IB_KS_LEAF) + 8;
    T->st.nn = 0;
    T->st.nodes = malloc((size_t)T->st.cap * sizeof(ib_knode));
    T->st.box = malloc((size_t)T->st.cap * 2 * (size_t)d * sizeof(double));
    if (!T->st.nodes || !T->st.box)
        return 0;
    ib_kbuild B = {X->x, d, X->perm, &T->st, 0, 0, NULL};
    kb_node(&B, T->lo, T->hi, T->loose, T->loose + 64, 0);
    return -1;
}

/* The tree over perm[0..n): the top levels serially, the subtrees at
 * IB_KS_TASK_DEPTH as engine units (large spaces), then the subtrees'
 * nodes appended in task order with their indices shifted and the top
 * nodes' boxes filled bottom-up.  The tree is the same for any thread
 * count (the tasks depend on n alone). */
static int kb_tree(ib_kspace *s, const double *x, const double *root)
{
    const ib_ssize d = s->d, n = s->n;
    ib_kstore top = {s->nodes, s->box, 0, s->cap};
    ib_ktask task[IB_KS_MAXTASK];
    ib_kbuild B = {x, d, s->idx, &top, n >= IB_KS_PAR_BUILD ? IB_KS_TASK_DEPTH : 0, 0, task};
    kb_node(&B, 0, n, root, root + 64, 0);
    int st = IB_OK;
    if (B.ntask > 0) {
        for (ib_ssize t = 0; t < B.ntask; t++)
            task[t].st.nodes = NULL, task[t].st.box = NULL;
        ib_ktask_ctx X = {x, d, s->idx, task};
        ib_engine_job job = {1, B.ntask, 0, n, IB_PAR_KNN_POINTS, kb_task_unit, NULL, &X};
        ib_ssize flag = -1;
        st = ib_engine_run(&job, &flag);
        if (st == IB_OK && flag >= 0)
            st = IB_ENOMEM;
        ib_ssize off[IB_KS_MAXTASK], nn = top.nn;
        for (ib_ssize t = 0; t < B.ntask && st == IB_OK; t++) {
            off[t] = nn;
            if (nn + task[t].st.nn > s->cap) {
                st = IB_ENOMEM;   /* cannot happen: the bound holds for the whole tree */
                break;
            }
            for (ib_ssize j = 0; j < task[t].st.nn; j++) {
                ib_knode v = task[t].st.nodes[j];
                if (v.left >= 0) {
                    v.left += nn;
                    v.right += nn;
                }
                s->nodes[nn + j] = v;
            }
            memcpy(s->box + (size_t)nn * 2 * d, task[t].st.box,
                   (size_t)task[t].st.nn * 2 * (size_t)d * sizeof(double));
            nn += task[t].st.nn;
        }
        for (ib_ssize t = 0; t < B.ntask; t++) {
            free(task[t].st.nodes);
            free(task[t].st.box);
        }
        if (st != IB_OK)
            return st;
        /* top nodes: children created after parents, so reverse creation
         * order visits children first */
        for (ib_ssize id = top.nn - 1; id >= 0; id--) {
            ib_knode *v = &s->nodes[id];
            if (v->left == -1)
                continue;
            if (v->left < -1)
                v->left = off[-2 - v->left];
            if (v->right < -1)
                v->right = off[-2 - v->right];
            double *lb = s->box + (size_t)id * 2 * d, *ub = lb + d;
            const double *al = s->box + (size_t)v->left * 2 * d;
            const double *bl = s->box + (size_t)v->right * 2 * d;
            for (ib_ssize c = 0; c < d; c++) {
                lb[c] = al[c] < bl[c] ? al[c] : bl[c];
                ub[c] = al[d + c] > bl[d + c] ? al[d + c] : bl[d + c];
            }
        }
        s->nnodes = nn;
    } else {
        s->nnodes = top.nn;
    }
    return st;
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

/* Order-preserving 64-bit key of a double (-0.0 before +0.0). */
static inline uint64_t ks_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u ^ ((uint64_t)(-(int64_t)(u >> 63)) | 0x8000000000000000ULL);
}

/* One dimension: the sorted sample and its permutation, by an LSD radix
 * sort of (key, index) pairs (stable: equal values keep index order), 8
 * passes of 8 bits, a pass skipped when every key shares its digit. */
static int ks_build_1d(ib_kspace *s, const double *x)
{
    const ib_ssize n = s->n;
    uint64_t *ka = malloc((size_t)n * sizeof(uint64_t));
    uint64_t *kb = malloc((size_t)n * sizeof(uint64_t));
    ib_ssize *ia = s->idx;
    ib_ssize *ib = malloc((size_t)n * sizeof(ib_ssize));
    if (!ka || !kb || !ib) {
        free(ka);
        free(kb);
        free(ib);
        return IB_ENOMEM;
    }
    static const int NB = 256;
    ib_ssize (*hist)[256] = calloc(8, sizeof *hist);
    if (!hist) {
        free(ka);
        free(kb);
        free(ib);
        return IB_ENOMEM;
    }
    for (ib_ssize i = 0; i < n; i++) {
        uint64_t k = ks_key(x[i]);
        ka[i] = k;
        ia[i] = i;
        for (int d = 0; d < 8; d++)
            hist[d][(k >> (8 * d)) & 0xff]++;
    }
    uint64_t *ks = ka, *kd = kb;
    ib_ssize *is = ia, *id = ib;
    for (int d = 0; d < 8; d++) {
        ib_ssize *h = hist[d];
        if (h[(ks[0] >> (8 * d)) & 0xff] == n)
            continue;
        ib_ssize pos[256], acc = 0;
        for (int j = 0; j < NB; j++) {
            pos[j] = acc;
            acc += h[j];
        }
        const int sh = 8 * d;
        for (ib_ssize i = 0; i < n; i++) {
            uint64_t k = ks[i];
            ib_ssize q = pos[(k >> sh) & 0xff]++;
            kd[q] = k;
            id[q] = is[i];
        }
        uint64_t *tk = ks;
        ks = kd;
        kd = tk;
        ib_ssize *ti = is;
        is = id;
        id = ti;
    }
    if (is != s->idx)
        memcpy(s->idx, is, (size_t)n * sizeof(ib_ssize));
    for (ib_ssize p = 0; p < n; p++)
        s->pts[p] = x[s->idx[p]];
    free(hist);
    free(ka);
    free(kb);
    free(ib);
    return IB_OK;
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
    if (d == 1 && n > 0) {
        /* no tree: the 1-D queries run on the sorted sample */
        int st = ks_build_1d(s, x);
        if (st != IB_OK) {
            ib_kspace_free(s);
            return st;
        }
    } else {
        for (ib_ssize i = 0; i < n; i++)
            s->idx[i] = i;
        if (n > 0) {
            double root[128];
            for (ib_ssize c = 0; c < d; c++) {
                root[c] = INFINITY;
                root[64 + c] = -INFINITY;
            }
            for (ib_ssize i = 0; i < n; i++)
                for (ib_ssize c = 0; c < d; c++) {
                    double v = x[i * d + c];
                    root[c] = v < root[c] ? v : root[c];
                    root[64 + c] = v > root[64 + c] ? v : root[64 + c];
                }
            int st = kb_tree(s, x, root);
            if (st != IB_OK) {
                ib_kspace_free(s);
                return st;
            }
        }
        for (ib_ssize p = 0; p < n; p++)
            memcpy(s->pts + p * d, x + s->idx[p] * d, (size_t)d * sizeof(double));
    }
    for (ib_ssize p = 0; p < n; p++)
        s->pos[s->idx[p]] = p;
    *out = s;
    return IB_OK;
}

typedef struct {
    ib_ssize n;
    const double *const *cols;
    const int64_t *times;
    ib_kspace **out;
    int *status;
} ib_kmany_ctx;

static ib_ssize ks_many_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kmany_ctx *X = vc;
    const ib_ssize one = 1;
    (void)g;
    (void)part;
    X->status[c] = ib_kspace_build(X->n, 1, X->cols[c], 1, &one, X->times, &X->out[c]);
    return -1;
}

int ib_kspace_build_many_1d(ib_ssize m, ib_ssize n, const double *const *cols,
                            const int64_t *times, ib_kspace **out)
{
    int status[64];
    if (m < 0 || m > 64)
        return IB_EINVAL;
    for (ib_ssize c = 0; c < m; c++)
        out[c] = NULL;
    ib_kmany_ctx X = {n, cols, times, out, status};
    ib_engine_job job = {1, m, 0, m * n, IB_PAR_THRESHOLD, ks_many_unit, NULL, &X};
    int st = ib_engine_run(&job, NULL);
    for (ib_ssize c = 0; c < m && st == IB_OK; c++)
        st = status[c];
    if (st != IB_OK)
        for (ib_ssize c = 0; c < m; c++) {
            ib_kspace_free(out[c]);
            out[c] = NULL;
        }
    return st;
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

#if defined(__GNUC__)
#define IB_KS_INLINE static inline __attribute__((always_inline))
#else
#define IB_KS_INLINE static inline
#endif

/* A leaf in the max-norm with D coordinates (D a constant after inlining:
 * the distance is a branch-free max); the Theiler test only for points
 * that would enter the list. */
IB_KS_INLINE void kq_leaf_max(ib_kq *Q, const ib_knode *nd, const ib_ssize D)
{
    const ib_kspace *s = Q->s;
    const double *q = Q->q;
    double worst = Q->bd[Q->k - 1];
    for (ib_ssize p = nd->lo; p < nd->hi; p++) {
        const double *a = s->pts + p * D;
        double m = fabs(a[0] - q[0]);
        for (ib_ssize c = 1; c < D; c++) {
            double t = fabs(a[c] - q[c]);
            m = t > m ? t : m;
        }
        if (m < worst) {
            if (Q->self >= 0 && ks_near_in_time(s, s->idx[p], Q->self, Q->theiler))
                continue;
            kq_insert(Q, m, p);
            worst = Q->bd[Q->k - 1];
        }
    }
}

static void kq_leaf(ib_kq *Q, const ib_knode *nd)
{
    const ib_kspace *s = Q->s;
    const ib_ssize d = s->d;
    const double *q = Q->q;
    if (Q->metric == IB_METRIC_MAX) {
        switch (d) {
        case 2: kq_leaf_max(Q, nd, 2); return;
        case 3: kq_leaf_max(Q, nd, 3); return;
        case 4: kq_leaf_max(Q, nd, 4); return;
        case 5: kq_leaf_max(Q, nd, 5); return;
        case 6: kq_leaf_max(Q, nd, 6); return;
        default: kq_leaf_max(Q, nd, d); return;
        }
    }
    for (ib_ssize p = nd->lo; p < nd->hi; p++) {
        double dist = ks_dist(s, Q->metric, s->pts + p * d, q);
        if (dist < Q->bd[Q->k - 1]) {
            if (Q->self >= 0 && ks_near_in_time(s, s->idx[p], Q->self, Q->theiler))
                continue;
            kq_insert(Q, dist, p);
        }
    }
}

static void kq_search(ib_kq *Q, ib_ssize t)
{
    const ib_knode *nd = &Q->s->nodes[t];
    if (nd->left < 0) {
        kq_leaf(Q, nd);
        return;
    }
    /* the child on the query's side of the split first; the other only if
     * the plane (a lower bound for its points: their coordinate lies beyond
     * it) and then its tight box are nearer than the current k-th */
    double qd = Q->q[nd->dim], gap = qd - nd->split;
    ib_ssize near = gap < 0.0 ? nd->left : nd->right;
    ib_ssize far = gap < 0.0 ? nd->right : nd->left;
    kq_search(Q, near);
    if (fabs(gap) < Q->bd[Q->k - 1]
        && ks_boxdist(Q->s, Q->metric, far, Q->q) < Q->bd[Q->k - 1])
        kq_search(Q, far);
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
        }
        const double *P = s->pts;   /* where bp points */
        if (d > 1) {
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
                const double *r = P + bp[j] * d;
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

/* The max-norm count with D coordinates (a constant in each instance) and
 * strict radii rd (a non-strict d <= r is d < nextafter(r, +inf), exactly):
 * a node outside the query box in some dimension counts 0, one inside in
 * every dimension counts whole, a leaf counts its points branch-free. */
#define IB_KC_MAX_BODY(D)                                                      \
    const ib_knode *nd = &s->nodes[t];                                         \
    const double *lb = s->box + (size_t)t * 2 * (D), *ub = lb + (D);           \
    int all = 1;                                                               \
    for (ib_ssize c = 0; c < (D); c++) {                                       \
        double n1 = lb[c] - q[c], n2 = q[c] - ub[c];                           \
        double f1 = q[c] - lb[c], f2 = ub[c] - q[c];                           \
        double nr = n1 > n2 ? n1 : n2, fr = f1 > f2 ? f1 : f2;                 \
        if (nr >= rd[c])                                                       \
            return 0;                                                          \
        all &= fr < rd[c];                                                     \
    }                                                                          \
    if (all)                                                                   \
        return nd->hi - nd->lo;                                                \
    if (nd->left < 0) {                                                        \
        ib_ssize cnt = 0;                                                      \
        for (ib_ssize p = nd->lo; p < nd->hi; p++) {                           \
            const double *a = s->pts + p * (D);                                \
            int in = 1;                                                        \
            for (ib_ssize c = 0; c < (D); c++)                                 \
                in &= fabs(a[c] - q[c]) < rd[c];                               \
            cnt += in;                                                         \
        }                                                                      \
        return cnt;                                                            \
    }
#define IB_KC_MAX_FN(D)                                                        \
    static ib_ssize kc_count_max##D(const ib_kspace *s, ib_ssize t,            \
                                    const double *q, const double *rd)         \
    {                                                                          \
        IB_KC_MAX_BODY(D)                                                      \
        return kc_count_max##D(s, nd->left, q, rd)                             \
               + kc_count_max##D(s, nd->right, q, rd);                         \
    }
IB_KC_MAX_FN(2)
IB_KC_MAX_FN(3)
IB_KC_MAX_FN(4)
IB_KC_MAX_FN(5)
IB_KC_MAX_FN(6)

static ib_ssize kc_count_maxd(const ib_kspace *s, ib_ssize t, const double *q,
                              const double *rd)
{
    const ib_ssize d = s->d;
    IB_KC_MAX_BODY(d)
    return kc_count_maxd(s, nd->left, q, rd) + kc_count_maxd(s, nd->right, q, rd);
}

static ib_ssize kc_count_max(const ib_kc *C)
{
    double rd[64];
    for (ib_ssize c = 0; c < C->s->d; c++)
        rd[c] = C->strict ? C->rd[c] : nextafter(C->rd[c], INFINITY);
    switch (C->s->d) {
    case 2: return kc_count_max2(C->s, 0, C->q, rd);
    case 3: return kc_count_max3(C->s, 0, C->q, rd);
    case 4: return kc_count_max4(C->s, 0, C->q, rd);
    case 5: return kc_count_max5(C->s, 0, C->q, rd);
    case 6: return kc_count_max6(C->s, 0, C->q, rd);
    default: return kc_count_maxd(C->s, 0, C->q, rd);
    }
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
            cnt = X->metric == IB_METRIC_MAX ? kc_count_max(&C) : kc_count(&C, 0);
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

/* ---------------------------- counts in 1-D space products (offline) -- */

/* Each point's ranges: [va, vb) of vs's sorted positions within rv of v_i,
 * and for each u space t, [ua, ub) within ru[t] of u_i (empty when not
 * even i qualifies). */
#define IB_KC2_MAXU 4
typedef struct {
    const ib_kspace *vs;
    const double *rv;
    ib_ssize nu;
    const ib_kspace *us[IB_KC2_MAXU];
    const double *ru[IB_KC2_MAXU];
    int strict;
    ib_ssize *va, *vb;
    ib_ssize *ua[IB_KC2_MAXU], *ub[IB_KC2_MAXU];
} ib_kc2_range_ctx;

static ib_ssize kc2_range_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kc2_range_ctx *X = vc;
    const ib_ssize n = X->vs->n;
    (void)g;
    (void)part;
    ib_ssize i0 = c * IB_KS_CHUNK, i1 = i0 + IB_KS_CHUNK < n ? i0 + IB_KS_CHUNK : n;
    for (ib_ssize i = i0; i < i1; i++) {
        double q = X->rv[i];
        int ok = X->strict ? (q > 0.0) : (q >= 0.0);
        X->va[i] = X->vb[i] = 0;
        if (ok) {
            ib_ssize pv = X->vs->pos[i];
            kc_range_1d(X->vs->pts, n, pv, X->vs->pts[pv], q, X->strict, &X->va[i], &X->vb[i]);
        }
        for (ib_ssize t = 0; t < X->nu; t++) {
            const ib_kspace *us = X->us[t];
            double r = X->ru[t][i];
            X->ua[t][i] = X->ub[t][i] = 0;
            if (ok && (X->strict ? (r > 0.0) : (r >= 0.0))) {
                ib_ssize pu = us->pos[i];
                kc_range_1d(us->pts, n, pu, us->pts[pu], r, X->strict, &X->ua[t][i],
                            &X->ub[t][i]);
            }
        }
    }
    return -1;
}

/* The sweep over vs's sorted order: at time t (before inserting position t)
 * each event at t reads, for every u space, G = #{inserted points with u
 * position in [ua, ub)} from a Fenwick tree over that space's positions.
 * Unit c sweeps times [t0, t1), starting from trees of the positions before
 * t0 built in O(n). */
typedef struct {
    const ib_kc2_range_ctx *R;
    const ib_ssize *estart;   /* events of time t: ev[estart[t] .. estart[t+1]) */
    const ib_ssize *ev;       /* query index of each event */
    ib_ssize nch;
    int64_t *res;             /* per event and u space: res[e * nu + t] */
} ib_kc2_sweep_ctx;

static inline int64_t kc2_prefix(const int32_t *bit, ib_ssize k)
{
    int64_t s = 0;
    for (; k > 0; k &= k - 1)
        s += bit[k];
    return s;
}

static ib_ssize kc2_sweep_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kc2_sweep_ctx *X = vc;
    const ib_kc2_range_ctx *R = X->R;
    const ib_kspace *vs = R->vs;
    const ib_ssize n = vs->n, T = n + 1, nu = R->nu;
    (void)g;
    (void)part;
    ib_ssize t0 = T * c / X->nch, t1 = T * (c + 1) / X->nch;
    int32_t *bits = calloc((size_t)nu * ((size_t)n + 1), sizeof(int32_t));
    if (!bits)
        return 0;
    for (ib_ssize u = 0; u < nu; u++) {
        /* linear construction: ones at the 1-based positions, pushed up */
        int32_t *bit = bits + u * (n + 1);
        const ib_ssize *pos = R->us[u]->pos;
        for (ib_ssize p = 0; p < t0; p++)
            bit[pos[vs->idx[p]] + 1] = 1;
        for (ib_ssize k = 1; k <= n; k++) {
            ib_ssize up = k + (k & -k);
            if (up <= n)
                bit[up] += bit[k];
        }
    }
    for (ib_ssize t = t0; t < t1; t++) {
        for (ib_ssize e = X->estart[t]; e < X->estart[t + 1]; e++) {
            ib_ssize i = X->ev[e];
            for (ib_ssize u = 0; u < nu; u++) {
                const int32_t *bit = bits + u * (n + 1);
                X->res[e * nu + u] = kc2_prefix(bit, R->ub[u][i]) - kc2_prefix(bit, R->ua[u][i]);
            }
        }
        if (t < n) {
            ib_ssize o = vs->idx[t];
            for (ib_ssize u = 0; u < nu; u++) {
                int32_t *bit = bits + u * (n + 1);
                for (ib_ssize k = R->us[u]->pos[o] + 1; k <= n; k += k & -k)
                    bit[k]++;
            }
        }
    }
    free(bits);
    return -1;
}

typedef struct {
    const ib_kc2_range_ctx *R;
    ib_ssize theiler;
    const ib_ssize *ea, *eb;   /* event index of each point's two reads */
    const int64_t *res;
    int64_t *cv;               /* NULL or the v counts */
    int64_t *const *out;
} ib_kc2_fin_ctx;

static ib_ssize kc2_fin_unit(void *vc, ib_ssize g, ib_ssize c, void *part)
{
    const ib_kc2_fin_ctx *X = vc;
    const ib_kc2_range_ctx *R = X->R;
    const ib_kspace *vs = R->vs;
    const ib_ssize n = vs->n, nu = R->nu;
    const int strict = R->strict;
    (void)g;
    (void)part;
    ib_ssize i0 = c * IB_KS_CHUNK, i1 = i0 + IB_KS_CHUNK < n ? i0 + IB_KS_CHUNK : n;
    for (ib_ssize i = i0; i < i1; i++) {
        double q = R->rv[i];
        double vi = vs->pts[vs->pos[i]];
        ib_ssize j0, j1;
        ks_window_of(vs, i, X->theiler, &j0, &j1);
        /* window members inside the v ball */
        int64_t cv = R->vb[i] - R->va[i];
        for (ib_ssize j = j0; j <= j1; j++) {
            double dv = fabs(vs->pts[vs->pos[j]] - vi);
            cv -= strict ? dv < q : dv <= q;
        }
        if (X->cv)
            X->cv[i] = cv;
        for (ib_ssize u = 0; u < nu; u++) {
            const ib_kspace *us = R->us[u];
            int64_t cnt = X->res[X->eb[i] * nu + u] - X->res[X->ea[i] * nu + u];
            double r = R->ru[u][i];
            double ui = us->pts[us->pos[i]];
            for (ib_ssize j = j0; j <= j1; j++) {
                double du = fabs(us->pts[us->pos[j]] - ui);
                double dv = fabs(vs->pts[vs->pos[j]] - vi);
                cnt -= strict ? (du < r && dv < q) : (du <= r && dv <= q);
            }
            X->out[u][i] = cnt;
        }
    }
    return -1;
}

int ib_kspace_count_prod(const ib_kspace *vs, const double *rv, ib_ssize nu,
                         const ib_kspace *const *us, const double *const *ru, int strict,
                         ib_ssize theiler, int64_t *cv, int64_t *const *out)
{
    if (vs->d != 1 || nu < 0 || nu > IB_KC2_MAXU || theiler < 0)
        return IB_EINVAL;
    const ib_ssize n = vs->n;
    for (ib_ssize u = 0; u < nu; u++) {
        if (us[u]->d != 1 || us[u]->n != n)
            return IB_EINVAL;
        for (ib_ssize i = 0; i < n; i++)   /* same time stamps: same window */
            if (us[u]->time[i] != vs->time[i])
                return IB_EINVAL;
    }
    if (n == 0)
        return IB_OK;
    size_t nn = (size_t)n;
    ib_ssize *buf = malloc((nn * (7 + 2 * (size_t)nu) + 2) * sizeof(ib_ssize));
    int64_t *res = malloc(2 * nn * (size_t)(nu > 0 ? nu : 1) * sizeof(int64_t));
    if (!buf || !res) {
        free(buf);
        free(res);
        return IB_ENOMEM;
    }
    ib_kc2_range_ctx R;
    memset(&R, 0, sizeof R);
    R.vs = vs;
    R.rv = rv;
    R.nu = nu;
    R.strict = strict != 0;
    R.va = buf;
    R.vb = buf + n;
    ib_ssize *ev = buf + 2 * n, *ea = buf + 4 * n, *eb = buf + 5 * n;
    for (ib_ssize u = 0; u < nu; u++) {
        R.us[u] = us[u];
        R.ru[u] = ru[u];
        R.ua[u] = buf + (6 + 2 * u) * n;
        R.ub[u] = buf + (7 + 2 * u) * n;
    }
    ib_ssize *estart = buf + (6 + 2 * nu) * n;   /* n + 2 entries */
    ib_ssize nch = (n + IB_KS_CHUNK - 1) / IB_KS_CHUNK;
    ib_engine_job jr = {1, nch, 0, n, IB_PAR_KNN_POINTS, kc2_range_unit, NULL, &R};
    int st = ib_engine_run(&jr, NULL);
    if (st == IB_OK && nu > 0) {
        /* events bucketed by time (counting sort; times in [0, n]) */
        memset(estart, 0, (nn + 2) * sizeof(ib_ssize));
        for (ib_ssize i = 0; i < n; i++) {
            estart[R.va[i] + 1]++;
            estart[R.vb[i] + 1]++;
        }
        for (ib_ssize t = 0; t <= n; t++)
            estart[t + 1] += estart[t];
        ib_ssize *cur = malloc((nn + 1) * sizeof(ib_ssize));
        if (!cur) {
            st = IB_ENOMEM;
        } else {
            memcpy(cur, estart, (nn + 1) * sizeof(ib_ssize));
            for (ib_ssize i = 0; i < n; i++) {
                ib_ssize e = cur[R.va[i]]++;
                ev[e] = i;
                ea[i] = e;
                e = cur[R.vb[i]]++;
                ev[e] = i;
                eb[i] = e;
            }
            free(cur);
        }
        if (st == IB_OK) {
            ib_ssize ns = 1 + n / 32768;
            ns = ns > 8 ? 8 : ns;
            ib_kc2_sweep_ctx S = {&R, estart, ev, ns, res};
            ib_engine_job js = {1, ns, 0, 8 * n, IB_PAR_KNN_POINTS, kc2_sweep_unit, NULL, &S};
            ib_ssize flag = -1;
            st = ib_engine_run(&js, &flag);
            if (st == IB_OK && flag >= 0)
                st = IB_ENOMEM;
        }
    }
    if (st == IB_OK) {
        ib_kc2_fin_ctx F = {&R, theiler, ea, eb, res, cv, out};
        ib_engine_job jf = {1, nch, 0, n, IB_PAR_KNN_POINTS, kc2_fin_unit, NULL, &F};
        st = ib_engine_run(&jf, NULL);
    }
    free(buf);
    free(res);
    return st;
}

int ib_kspace_count2(const ib_kspace *us, const ib_kspace *vs, const double *ru,
                     const double *rv, int strict, ib_ssize theiler, int64_t *out)
{
    if (us->d != 1 || vs->d != 1 || us->n != vs->n || theiler < 0)
        return IB_EINVAL;
    int64_t *outs[1] = {out};
    return ib_kspace_count_prod(vs, rv, 1, &us, &ru, strict, theiler, NULL, outs);
}
