/* Exported numerics entry points for one element type, on the engine
 * (ib_engine.h): each fills a context with its operands and the per-path
 * kernels picked for the active SIMD path, and runs a job whose units are
 * row groups, rows or fixed chunks.  Included by ib_numerics.c through
 * ib_per_type.h (IB_T, IB_TS); no include guard on purpose. */

/* ---------------------------------------------------------------- lse -- */

typedef struct {
    ib_ssize R, C, G, nch;
    const IB_T *a, *b;
    const ib_ssize *sa, *sb;
    double *out, *sgn;
    void (*small)(const IB_T *, const ib_ssize *, const IB_T *,
                  const ib_ssize *, ib_ssize, ib_ssize, ib_ssize,
                  ib_lse_acc *);
    void (*small_fin)(const ib_lse_acc *, int, double *, double *);
    ib_lse_acc (*chunk)(const IB_T *, ib_ssize, const IB_T *, ib_ssize,
                        ib_ssize, ib_ssize);
} IB_TNAME(nx_lse_ctx);

/* short rows: G at a time, one vector loop per group */
static ib_ssize IB_TNAME(nx_lse_small_unit)(void *vc, ib_ssize u, ib_ssize ci,
                                            void *part)
{
    const IB_TNAME(nx_lse_ctx) *X = vc;
    ib_lse_acc acc[IB_NX_BLOCK];
    ib_ssize r0 = u * X->G, r1 = r0 + X->G < X->R ? r0 + X->G : X->R;
    (void)ci;
    (void)part;
    X->small(X->a, X->sa, X->b, X->sb, X->C, r0, r1, acc);
    X->small_fin(acc, (int)(r1 - r0), X->out + r0,
                 X->sgn != NULL ? X->sgn + r0 : NULL);
    return -1;
}

/* chunk ci of row r; a row of one chunk is finished at once */
static ib_ssize IB_TNAME(nx_lse_unit)(void *vc, ib_ssize r, ib_ssize ci,
                                      void *part)
{
    const IB_TNAME(nx_lse_ctx) *X = vc;
    ib_ssize c0 = ci * (ib_ssize)IB_NX_CHUNK;
    ib_ssize c1 = c0 + IB_NX_CHUNK < X->C ? c0 + IB_NX_CHUNK : X->C;
    ib_lse_acc v = X->chunk(X->a + r * X->sa[0], X->sa[1],
                            X->b != NULL ? X->b + r * X->sb[0] : NULL,
                            X->b != NULL ? X->sb[1] : 0, c0, c1);
    if (part == NULL)
        ib_lse_finish(v, X->out + r, X->sgn != NULL ? X->sgn + r : NULL);
    else
        *(ib_lse_acc *)part = v;
    return -1;
}

/* rows of one chunk each, G <= IB_NX_LSE_ROWS at a time (at least 8
 * units for the threads; the grouping does not change any bits): each
 * row's partial
 * state, then the logs of the group's finish in vector loops (the bits
 * of ib_lse_finish; one scalar log1p and log per row cost a fifth of a
 * 128-entry row) */
static ib_ssize IB_TNAME(nx_lse_rows_unit)(void *vc, ib_ssize u, ib_ssize ci,
                                           void *part)
{
    const IB_TNAME(nx_lse_ctx) *X = vc;
    ib_lse_acc acc[IB_NX_LSE_ROWS] = {{0.0, 0.0, 0.0}};
    ib_ssize r0 = u * X->G;
    ib_ssize r1 = r0 + X->G < X->R ? r0 + X->G : X->R;
    (void)ci;
    (void)part;
    for (ib_ssize r = r0; r < r1; r++)
        acc[r - r0] = X->chunk(X->a + r * X->sa[0], X->sa[1],
                               X->b != NULL ? X->b + r * X->sb[0] : NULL,
                               X->b != NULL ? X->sb[1] : 0, 0, X->C);
    X->small_fin(acc, (int)(r1 - r0), X->out + r0,
                 X->sgn != NULL ? X->sgn + r0 : NULL);
    return -1;
}

/* a row's chunks merged in a fixed pairwise tree */
static void IB_TNAME(nx_lse_done)(void *vc, ib_ssize r, void *parts,
                                  ib_ssize nch)
{
    const IB_TNAME(nx_lse_ctx) *X = vc;
    ib_lse_finish(ib_lse_tree((const ib_lse_acc *)parts, nch), X->out + r,
                  X->sgn != NULL ? X->sgn + r : NULL);
}

int IB_TNAME(ib_logsumexp)(ib_ssize R, ib_ssize C, const IB_T *a,
                           const ib_ssize *sa, const IB_T *b,
                           const ib_ssize *sb, double *out, double *sgn)
{
    if (R <= 0)
        return IB_OK;
    if (C <= 0) {
        for (ib_ssize r = 0; r < R; r++) {
            out[r] = -INFINITY;
            if (sgn != NULL)
                sgn[r] = 0.0;
        }
        return IB_OK;
    }
    IB_TNAME(nx_lse_ctx) X = {R, C, 0, 0, a, b, sa, sb, out, sgn,
                              NULL, NULL, NULL};
    ib_engine_job job = {0, 1, 0, R * C, IB_PAR_THRESHOLD, NULL, NULL, &X};
    if (C <= IB_NX_SMALL_C) {
        X.small = IB_PICK(IB_TNAME(nx_lse_small));
        X.small_fin = IB_PICK(nx_lse_finish_small);
        X.G = IB_NX_BLOCK / C;
        job.groups = (R + X.G - 1) / X.G;
        job.unit = IB_TNAME(nx_lse_small_unit);
    } else {
        X.chunk = IB_PICK(IB_TNAME(nx_lse_chunk));
        X.nch = (C + IB_NX_CHUNK - 1) / IB_NX_CHUNK;
        job.groups = R;
        job.nch = X.nch;
        job.unit = IB_TNAME(nx_lse_unit);
        if (X.nch > 1) {
            job.part_size = sizeof(ib_lse_acc);
            job.done = IB_TNAME(nx_lse_done);
        } else {
            X.small_fin = IB_PICK(nx_lse_finish_small);
            X.G = R / 8 < 1 ? 1 : R / 8 > IB_NX_LSE_ROWS ? IB_NX_LSE_ROWS : R / 8;
            job.groups = (R + X.G - 1) / X.G;
            job.unit = IB_TNAME(nx_lse_rows_unit);
        }
    }
    return ib_engine_run(&job, NULL);
}

/* ------------------------------------------------------------ softmax -- */

typedef struct {
    int logsm, keep;
    ib_ssize R, C, G;
    const IB_T *x;
    const ib_ssize *sx;
    IB_T *out;
    const ib_ssize *so;
    /* the chunked path: the row in hand and its running values */
    ib_ssize row;
    double M, S, cnt, lS;
    void (*small)(int, const IB_T *, const ib_ssize *, IB_T *,
                  const ib_ssize *, ib_ssize, ib_ssize, ib_ssize);
    void (*rowfn)(int, ib_ssize, const IB_T *, ib_ssize, IB_T *, ib_ssize);
    double (*cmax)(const IB_T *, ib_ssize, ib_ssize, ib_ssize);
    double (*csum)(int, const IB_T *, ib_ssize, IB_T *, ib_ssize, ib_ssize,
                   ib_ssize, double, double *);
    void (*cfin)(int, int, const IB_T *, ib_ssize, IB_T *, ib_ssize,
                 ib_ssize, ib_ssize, double, double, double);
    void (*special)(int, ib_ssize, const IB_T *, ib_ssize, IB_T *, ib_ssize,
                    double);
    void (*lfin)(const ib_lse_acc *, int, double *, double *);
    ib_lse_acc (*lchunk)(const IB_T *, ib_ssize, const IB_T *, ib_ssize,
                         ib_ssize, ib_ssize);
} IB_TNAME(nx_sm_ctx);

static ib_ssize IB_TNAME(nx_sm_small_unit)(void *vc, ib_ssize u, ib_ssize ci,
                                           void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    ib_ssize r0 = u * X->G, r1 = r0 + X->G < X->R ? r0 + X->G : X->R;
    (void)ci;
    (void)part;
    X->small(X->logsm, X->x, X->sx, X->out, X->so, X->C, r0, r1);
    return -1;
}

static ib_ssize IB_TNAME(nx_sm_row_unit)(void *vc, ib_ssize r, ib_ssize ci,
                                         void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    (void)ci;
    (void)part;
    X->rowfn(X->logsm, X->C, X->x + r * X->sx[0], X->sx[1],
             X->out + r * X->so[0], X->so[1]);
    return -1;
}

/* log_softmax of rows of one chunk, G <= IB_NX_LSE_ROWS at a time: the
 * pieces of nx_softmax_row, with the group's log S = log cnt + log1p(S /
 * cnt) taken in one vector loop (nx_lse_finish_small with m = 0: the same
 * functions, the same bits as the row's scalar logs, which cost a fifth
 * of a 128-entry row). */
static ib_ssize IB_TNAME(nx_lsm_rows_unit)(void *vc, ib_ssize u, ib_ssize ci,
                                           void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    ib_lse_acc acc[IB_NX_LSE_ROWS] = {{0.0, 0.0, 0.0}};
    double M[IB_NX_LSE_ROWS], lS[IB_NX_LSE_ROWS];
    ib_ssize r0 = u * X->G, r1 = r0 + X->G < X->R ? r0 + X->G : X->R;
    (void)ci;
    (void)part;
    for (ib_ssize r = r0; r < r1; r++) {
        const IB_T *xr = X->x + r * X->sx[0];
        IB_T *orow = X->out + r * X->so[0];
        ib_lse_acc a = {0.0, 1.0, 0.0};
        double m = X->cmax(xr, X->sx[1], 0, X->C), cnt = 1.0;
        M[r - r0] = m;
        if (m == -INFINITY || m == INFINITY) {
            X->special(1, X->C, xr, X->sx[1], orow, X->so[1], m);
        } else {
            a.s = X->csum(0, xr, X->sx[1], orow, X->so[1], 0, X->C, m, &cnt);
            a.c = cnt;
        }
        acc[r - r0] = a;
    }
    X->lfin(acc, (int)(r1 - r0), lS, NULL);
    for (ib_ssize r = r0; r < r1; r++) {
        double m = M[r - r0];
        if (m == -INFINITY || m == INFINITY)
            continue;
        X->cfin(1, 0, X->x + r * X->sx[0], X->sx[1], X->out + r * X->so[0],
                X->so[1], 0, X->C, m, acc[r - r0].s + acc[r - r0].c,
                lS[r - r0]);
    }
    return -1;
}

/* The chunked path (a few long rows, fewer than the threads): each row in
 * three jobs over its chunks (max, sums, output), the chunk results
 * combined in chunk order, the order of the row-at-a-time path. */
#define IB_SM_CHUNK_RANGE(X, ci, k0, k1)                                      \
    ib_ssize k0 = (ci) * (ib_ssize)IB_NX_CHUNK;                               \
    ib_ssize k1 = k0 + IB_NX_CHUNK < (X)->C ? k0 + IB_NX_CHUNK : (X)->C

static ib_ssize IB_TNAME(nx_smc_max_unit)(void *vc, ib_ssize g, ib_ssize ci,
                                          void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    IB_SM_CHUNK_RANGE(X, ci, k0, k1);
    (void)g;
    *(double *)part = X->cmax(X->x + X->row * X->sx[0], X->sx[1], k0, k1);
    return -1;
}

static void IB_TNAME(nx_smc_max_done)(void *vc, ib_ssize g, void *parts,
                                      ib_ssize nch)
{
    IB_TNAME(nx_sm_ctx) *X = vc;
    const double *cm = parts;
    double M = -INFINITY;
    (void)g;
    for (ib_ssize c = 0; c < nch; c++)
        M = cm[c] > M ? cm[c] : M;
    X->M = M;
}

static ib_ssize IB_TNAME(nx_smc_sum_unit)(void *vc, ib_ssize g, ib_ssize ci,
                                          void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    double *p = part;
    IB_SM_CHUNK_RANGE(X, ci, k0, k1);
    (void)g;
    p[0] = X->csum(X->keep, X->x + X->row * X->sx[0], X->sx[1],
                   X->out + X->row * X->so[0], X->so[1], k0, k1, X->M,
                   p + 1);
    return -1;
}

static void IB_TNAME(nx_smc_sum_done)(void *vc, ib_ssize g, void *parts,
                                      ib_ssize nch)
{
    IB_TNAME(nx_sm_ctx) *X = vc;
    const double *p = parts;
    double S = 0.0, cnt = 0.0;
    (void)g;
    for (ib_ssize c = 0; c < nch; c++) {
        S += p[2 * c];
        cnt += p[2 * c + 1];
    }
    X->lS = X->logsm ? ib_log_f64(cnt) + ib_log1p_f64(S / cnt) : 0.0;
    X->S = S + cnt;
}

static ib_ssize IB_TNAME(nx_smc_fin_unit)(void *vc, ib_ssize g, ib_ssize ci,
                                          void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    IB_SM_CHUNK_RANGE(X, ci, k0, k1);
    (void)g;
    (void)part;
    X->cfin(X->logsm, X->keep, X->x + X->row * X->sx[0], X->sx[1],
            X->out + X->row * X->so[0], X->so[1], k0, k1, X->M, X->S, X->lS);
    return -1;
}

static int IB_TNAME(nx_softmax_chunked)(IB_TNAME(nx_sm_ctx) *X, ib_ssize nch)
{
    void (*special)(int, ib_ssize, const IB_T *, ib_ssize, IB_T *, ib_ssize,
                    double) = IB_PICK(IB_TNAME(nx_sm_special));
    X->cmax = IB_PICK(IB_TNAME(nx_sm_max));
    X->csum = IB_PICK(IB_TNAME(nx_sm_sum));
    X->cfin = IB_PICK(IB_TNAME(nx_sm_fin));
    /* work = the threshold: the caller chose this path to use the threads */
    ib_engine_job jmax = {1, nch, sizeof(double), IB_PAR_THRESHOLD,
                          IB_PAR_THRESHOLD, IB_TNAME(nx_smc_max_unit),
                          IB_TNAME(nx_smc_max_done), X};
    ib_engine_job jsum = {1, nch, 2 * sizeof(double), IB_PAR_THRESHOLD,
                          IB_PAR_THRESHOLD, IB_TNAME(nx_smc_sum_unit),
                          IB_TNAME(nx_smc_sum_done), X};
    ib_engine_job jfin = {1, nch, 0, IB_PAR_THRESHOLD, IB_PAR_THRESHOLD,
                          IB_TNAME(nx_smc_fin_unit), NULL, X};
    for (ib_ssize r = 0; r < X->R; r++) {
        int st;
        X->row = r;
        if ((st = ib_engine_run(&jmax, NULL)) != IB_OK)
            return st;
        if (X->M == -INFINITY || X->M == INFINITY) {
            special(X->logsm, X->C, X->x + r * X->sx[0], X->sx[1],
                    X->out + r * X->so[0], X->so[1], X->M);
            continue;
        }
        if ((st = ib_engine_run(&jsum, NULL)) != IB_OK)
            return st;
        if ((st = ib_engine_run(&jfin, NULL)) != IB_OK)
            return st;
    }
    return IB_OK;
}

/* log_softmax of rows longer than one chunk: (M, log S) from logsumexp's
 * chunk pass (nx_lse_chunk: each entry read once, the block max checked
 * after the block's sum, so the row streams from memory once instead of
 * twice), the chunks' partials merged in the fixed tree ib_lse_tree,
 * then the output pass; per row, two jobs over its chunks (the bits do
 * not depend on the thread count). */
static ib_ssize IB_TNAME(nx_lsml_acc_unit)(void *vc, ib_ssize g, ib_ssize ci,
                                           void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    IB_SM_CHUNK_RANGE(X, ci, k0, k1);
    (void)g;
    *(ib_lse_acc *)part = X->lchunk(X->x + X->row * X->sx[0], X->sx[1],
                                    NULL, 0, k0, k1);
    return -1;
}

static void IB_TNAME(nx_lsml_acc_done)(void *vc, ib_ssize g, void *parts,
                                       ib_ssize nch)
{
    IB_TNAME(nx_sm_ctx) *X = vc;
    ib_lse_acc a = ib_lse_tree((const ib_lse_acc *)parts, nch);
    (void)g;
    X->M = a.m;
    X->lS = ib_log_f64(a.c) + ib_log1p_f64(a.s / a.c);
}

/* one row per unit (threads <= rows): the same chunk partials, the same
 * tree, the same output pass as the jobs below, on one thread */
#define IB_LSML_MAXCH 64
static ib_ssize IB_TNAME(nx_lsml_row_unit)(void *vc, ib_ssize r, ib_ssize ci,
                                           void *part)
{
    const IB_TNAME(nx_sm_ctx) *X = vc;
    ib_lse_acc acc[IB_LSML_MAXCH];
    const IB_T *xr = X->x + r * X->sx[0];
    IB_T *orow = X->out + r * X->so[0];
    ib_ssize nch = (X->C + IB_NX_CHUNK - 1) / IB_NX_CHUNK;
    (void)ci;
    (void)part;
    for (ib_ssize c = 0; c < nch; c++) {
        ib_ssize k0 = c * (ib_ssize)IB_NX_CHUNK;
        ib_ssize k1 = k0 + IB_NX_CHUNK < X->C ? k0 + IB_NX_CHUNK : X->C;
        acc[c] = X->lchunk(xr, X->sx[1], NULL, 0, k0, k1);
    }
    ib_lse_acc a = ib_lse_tree(acc, nch);
    if (a.m == -INFINITY || a.m == INFINITY || a.m != a.m) {
        X->special(1, X->C, xr, X->sx[1], orow, X->so[1], a.m);
        return -1;
    }
    X->cfin(1, 0, xr, X->sx[1], orow, X->so[1], 0, X->C, a.m, 0.0,
            ib_log_f64(a.c) + ib_log1p_f64(a.s / a.c));
    return -1;
}

static int IB_TNAME(nx_log_softmax_long)(IB_TNAME(nx_sm_ctx) *X,
                                         ib_ssize nch)
{
    void (*special)(int, ib_ssize, const IB_T *, ib_ssize, IB_T *, ib_ssize,
                    double) = IB_PICK(IB_TNAME(nx_sm_special));
    X->lchunk = IB_PICK(IB_TNAME(nx_lse_chunk));
    X->cfin = IB_PICK(IB_TNAME(nx_sm_fin));
    X->special = special;
    if (nch <= IB_LSML_MAXCH
        && ib_engine_threads(X->R * X->C, X->R * nch, IB_PAR_THRESHOLD) <= X->R) {
        ib_engine_job job = {X->R, 1, 0, X->R * X->C, IB_PAR_THRESHOLD,
                             IB_TNAME(nx_lsml_row_unit), NULL, X};
        return ib_engine_run(&job, NULL);
    }
    ib_engine_job jacc = {1, nch, sizeof(ib_lse_acc), nch * IB_NX_CHUNK,
                          IB_PAR_THRESHOLD, IB_TNAME(nx_lsml_acc_unit),
                          IB_TNAME(nx_lsml_acc_done), X};
    ib_engine_job jfin = {1, nch, 0, nch * IB_NX_CHUNK, IB_PAR_THRESHOLD,
                          IB_TNAME(nx_smc_fin_unit), NULL, X};
    for (ib_ssize r = 0; r < X->R; r++) {
        int st;
        X->row = r;
        if ((st = ib_engine_run(&jacc, NULL)) != IB_OK)
            return st;
        if (X->M == -INFINITY || X->M == INFINITY || X->M != X->M) {
            special(1, X->C, X->x + r * X->sx[0], X->sx[1],
                    X->out + r * X->so[0], X->so[1], X->M);
            continue;
        }
        if ((st = ib_engine_run(&jfin, NULL)) != IB_OK)
            return st;
    }
    return IB_OK;
}

/* Rows in parallel; a few long rows (fewer than the threads) are split in
 * chunks instead, with the chunk sums added in the same order as the
 * row-at-a-time path, so the bits do not depend on the path taken. */
int IB_TNAME(ib_softmax)(int logsm, ib_ssize R, ib_ssize C, const IB_T *x,
                         const ib_ssize *sx, IB_T *out, const ib_ssize *so)
{
    if (R <= 0 || C <= 0)
        return IB_OK;
    IB_TNAME(nx_sm_ctx) X;
    memset(&X, 0, sizeof(X));
    X.logsm = logsm;
    X.keep = !logsm;   /* softmax keeps the exps in out */
    X.R = R;
    X.C = C;
    X.x = x;
    X.sx = sx;
    X.out = out;
    X.so = so;
    ib_ssize nch = (C + IB_NX_CHUNK - 1) / IB_NX_CHUNK;
    if (logsm && nch > 1)
        return IB_TNAME(nx_log_softmax_long)(&X, nch);
    if (nch > 1 && ib_engine_threads(R * C, R * nch, IB_PAR_THRESHOLD) > R)
        return IB_TNAME(nx_softmax_chunked)(&X, nch);
    ib_engine_job job = {R, 1, 0, R * C, IB_PAR_THRESHOLD,
                         IB_TNAME(nx_sm_row_unit), NULL, &X};
    if (C <= IB_NX_SMALL_C) {
        X.small = IB_PICK(IB_TNAME(nx_softmax_small));
        X.G = IB_NX_BLOCK / C;
        job.groups = (R + X.G - 1) / X.G;
        job.unit = IB_TNAME(nx_sm_small_unit);
    } else if (logsm && nch == 1) {
        X.cmax = IB_PICK(IB_TNAME(nx_sm_max));
        X.csum = IB_PICK(IB_TNAME(nx_sm_sum));
        X.cfin = IB_PICK(IB_TNAME(nx_sm_fin));
        X.special = IB_PICK(IB_TNAME(nx_sm_special));
        X.lfin = IB_PICK(nx_lse_finish_small);
        X.G = R / 8 < 1 ? 1 : R / 8 > IB_NX_LSE_ROWS ? IB_NX_LSE_ROWS : R / 8;
        /* the group's rows are read again by the output pass: at most
         * 8 KB of them (16 KB measured 7% slower at 3000 x 1000 float32) */
        if (X.G * C * (ib_ssize)sizeof(IB_T) > 8192)
            X.G = 8192 / (C * (ib_ssize)sizeof(IB_T)) < 1
                      ? 1 : 8192 / (C * (ib_ssize)sizeof(IB_T));
        job.groups = (R + X.G - 1) / X.G;
        job.unit = IB_TNAME(nx_lsm_rows_unit);
    } else {
        X.rowfn = IB_PICK(IB_TNAME(nx_softmax_row));
    }
    return ib_engine_run(&job, NULL);
}

/* ----------------------------------------------------------- softplus -- */

typedef struct {
    int neg;
    ib_ssize n, sx, sy;
    const IB_T *x;
    IB_T *y;
    void (*fn)(int, ib_ssize, ib_ssize, const IB_T *, ib_ssize, IB_T *,
               ib_ssize);
} IB_TNAME(nx_sp_ctx);

static ib_ssize IB_TNAME(nx_sp_unit)(void *vc, ib_ssize g, ib_ssize u,
                                     void *part)
{
    const IB_TNAME(nx_sp_ctx) *X = vc;
    ib_ssize f0 = u * (ib_ssize)IB_NX_CHUNK;
    ib_ssize f1 = f0 + IB_NX_CHUNK < X->n ? f0 + IB_NX_CHUNK : X->n;
    (void)g;
    (void)part;
    X->fn(X->neg, f0, f1, X->x, X->sx, X->y, X->sy);
    return -1;
}

int IB_TNAME(ib_log1pexp)(int neg, ib_ssize n, const IB_T *x, ib_ssize sx,
                          IB_T *y, ib_ssize sy)
{
    if (n <= 0)
        return IB_OK;
    IB_TNAME(nx_sp_ctx) X = {neg, n, sx, sy, x, y,
                             IB_PICK(IB_TNAME(nx_softplus))};
    ib_engine_job job = {1, (n + IB_NX_CHUNK - 1) / IB_NX_CHUNK, 0, n,
                         IB_PAR_TWO_TERMS, IB_TNAME(nx_sp_unit), NULL, &X};
    return ib_engine_run(&job, NULL);
}

/* ------------------------------------------------------ binary losses -- */

typedef struct {
    const ib_binary_params *p;
    ib_ssize C, L;
    const IB_T *x, *y, *w, *pw;
    const ib_ssize *sx, *sy, *sw, *spw;
    IB_T *loss, *grad;
    double *total;
    double (*fn)(const ib_binary_params *, ib_ssize, ib_ssize, ib_ssize,
                 const IB_T *, const ib_ssize *, const IB_T *,
                 const ib_ssize *, const IB_T *, const ib_ssize *,
                 const IB_T *, const ib_ssize *, IB_T *, IB_T *);
} IB_TNAME(nx_bin_ctx);

static ib_ssize IB_TNAME(nx_bin_unit)(void *vc, ib_ssize g, ib_ssize u,
                                      void *part)
{
    const IB_TNAME(nx_bin_ctx) *X = vc;
    ib_ssize f0 = u * (ib_ssize)IB_NX_CHUNK;
    ib_ssize f1 = f0 + IB_NX_CHUNK < X->L ? f0 + IB_NX_CHUNK : X->L;
    (void)g;
    *(double *)part = X->fn(X->p, X->C, f0, f1, X->x, X->sx, X->y, X->sy,
                            X->w, X->sw, X->pw, X->spw, X->loss, X->grad);
    return -1;
}

static void IB_TNAME(nx_bin_done)(void *vc, ib_ssize g, void *parts,
                                  ib_ssize nch)
{
    const IB_TNAME(nx_bin_ctx) *X = vc;
    (void)g;
    *X->total = ib_pairwise_sum((const double *)parts, nch);
}

int IB_TNAME(ib_binary)(const ib_binary_params *p, ib_ssize R, ib_ssize C,
                        const IB_T *x, const ib_ssize *sx, const IB_T *y,
                        const ib_ssize *sy, const IB_T *w, const ib_ssize *sw,
                        const IB_T *pw, const ib_ssize *spw, IB_T *loss,
                        IB_T *grad, double *total)
{
    ib_ssize L = R * C;
    *total = 0.0;
    if (L <= 0)
        return IB_OK;
    IB_TNAME(nx_bin_ctx) X = {p, C, L, x, y, w, pw, sx, sy, sw, spw, loss,
                              grad, total, IB_PICK(IB_TNAME(nx_binary_chunk))};
    ib_engine_job job = {1, (L + IB_NX_CHUNK - 1) / IB_NX_CHUNK,
                         sizeof(double), L, IB_PAR_TWO_TERMS,
                         IB_TNAME(nx_bin_unit), IB_TNAME(nx_bin_done), &X};
    return ib_engine_run(&job, NULL);
}

#undef IB_SM_CHUNK_RANGE
#undef IB_LSML_MAXCH
