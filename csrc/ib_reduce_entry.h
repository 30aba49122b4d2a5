/* The reduction entry points, once per element type (IB_T, IB_TS, IB_F32
 * from ib_per_type.h), on the engine.  Unit: one chunk of IB_CHUNK flat
 * positions of one output (or, on the outer-axis path, of a tile of
 * IB_OUTER_W outputs); combination: the chunks pairwise, per output.  No
 * include guard on purpose. */

typedef double (*IB_TNAME(ib_red_chunk_fn))(
    int, int, int, const double *, ib_ssize, ib_ssize, ib_ssize, ib_ssize,
    const IB_T *, const ib_ssize *, const IB_T *, const ib_ssize *,
    const IB_T *, const ib_ssize *, double *, double *, double *, double *);
typedef void (*IB_TNAME(ib_red_outer_fn))(
    int, int, int, const double *, ib_ssize, int, ib_ssize, ib_ssize, ib_ssize,
    const IB_T *, const ib_ssize *, const IB_T *, const ib_ssize *,
    const IB_T *, const ib_ssize *, double *, double *);

typedef struct {
    int term, policy, chk;
    double tp[4];      /* fast-path upper ends per operand and the term's
                        * parameter (ib_red_tp) */
    double *sums;      /* 2 K operand sums, or NULL */
    ib_ssize K, R, C, L;
    const IB_T *a, *b, *c;
    const ib_ssize *sa, *sb, *sc;
    double *mg;        /* per-thread margins (R + C each), or NULL */
    double *out;       /* written by done only */
    IB_TNAME(ib_red_chunk_fn) fn;
    IB_TNAME(ib_red_outer_fn) ofn;
} IB_TNAME(ib_red_ctx);

static ib_ssize IB_TNAME(ib_red_unit)(void *vc, ib_ssize k, ib_ssize ci,
                                      void *part)
{
    const IB_TNAME(ib_red_ctx) *X = vc;
    const ib_ssize f0 = ci * (ib_ssize)IB_CHUNK;
    const ib_ssize f1 = f0 + IB_CHUNK < X->L ? f0 + IB_CHUNK : X->L;
    double bad = 0.0, s[2];
    double *mr = X->mg ? X->mg + (ib_ssize)ib_engine_thread_num() * (X->R + X->C)
                       : NULL;
    ib_red_part *P = part;
    P->v = X->fn(X->term, X->policy, X->chk, X->tp, k, f0, f1, X->C, X->a, X->sa,
                 X->b, X->sb, X->c, X->sc, &bad, mr, mr ? mr + X->R : NULL, s);
    P->s0 = s[0];
    P->s1 = s[1];
    return bad > 0.0 ? 0 : -1;
}

static void IB_TNAME(ib_red_done)(void *vc, ib_ssize k, void *parts,
                                  ib_ssize nch)
{
    const IB_TNAME(ib_red_ctx) *X = vc;
    const ib_red_part *p = parts;
    const double *d = parts;
    X->out[k] = ib_canon_nan(nch == 1 ? p[0].v : ib_pairwise_sum_strided(d, nch, 3));
    if (X->sums != NULL) {
        X->sums[2 * k] = nch == 1 ? p[0].s0 : ib_pairwise_sum_strided(d + 1, nch, 3);
        X->sums[2 * k + 1] = nch == 1 ? p[0].s1 : ib_pairwise_sum_strided(d + 2, nch, 3);
    }
}

static ib_ssize IB_TNAME(ib_red_outer_unit)(void *vc, ib_ssize g, ib_ssize ci,
                                            void *part)
{
    const IB_TNAME(ib_red_ctx) *X = vc;
    const ib_ssize f0 = ci * (ib_ssize)IB_CHUNK;
    const ib_ssize f1 = f0 + IB_CHUNK < X->L ? f0 + IB_CHUNK : X->L;
    const ib_ssize k0 = g * IB_OUTER_W;
    const int w = (int)(X->K - k0 < IB_OUTER_W ? X->K - k0 : IB_OUTER_W);
    double bad = 0.0;
    X->ofn(X->term, X->policy, X->chk, X->tp, k0, w, f0, f1, X->C, X->a, X->sa,
           X->b, X->sb, X->c, X->sc, &bad, part);
    return bad > 0.0 ? 0 : -1;
}

static void IB_TNAME(ib_red_outer_done)(void *vc, ib_ssize g, void *parts,
                                        ib_ssize nch)
{
    const IB_TNAME(ib_red_ctx) *X = vc;
    const double *p = parts;
    const ib_ssize k0 = g * IB_OUTER_W;
    const int w = (int)(X->K - k0 < IB_OUTER_W ? X->K - k0 : IB_OUTER_W);
    const ib_ssize ps = 3 * IB_OUTER_W;       /* a unit's partial */
    for (int j = 0; j < w; j++)
        X->out[k0 + j] = ib_canon_nan(nch == 1 ? p[j]
                                   : ib_pairwise_sum_strided(p + j, nch, ps));
    if (X->sums != NULL)
        for (int j = 0; j < w; j++)
            for (int o = 0; o < 2; o++)
                X->sums[2 * (k0 + j) + o] = ib_pairwise_sum_strided(
                    p + (o + 1) * IB_OUTER_W + j, nch, ps);
}

/* The outer-axis path pays when the first operand's outputs are adjacent
 * in memory and its reduced values are not (a reduction over a non-last
 * axis of a C-ordered array), and there are outputs enough to fill a
 * vector loop. */
static int IB_TNAME(ib_red_use_outer)(ib_ssize K, const ib_ssize *sa)
{
    return K >= 16 && sa[0] == 1 && sa[2] != 1;
}

int IB_TNAME(ib_reduce_margins)(int term, double par, int policy, int chk, ib_ssize K,
                                ib_ssize R, ib_ssize C, const IB_T *a,
                                const ib_ssize *sa, const IB_T *b,
                                const ib_ssize *sb, const IB_T *c,
                                const ib_ssize *sc, double *out, double *sums,
                                double *rowsum, double *colsum)
{
    const ib_ssize L = R * C;
    if (rowsum != NULL) {
        for (ib_ssize r = 0; r < R; r++)
            rowsum[r] = 0.0;
        for (ib_ssize cc = 0; cc < C; cc++)
            colsum[cc] = 0.0;
        if (K != 1)
            return IB_EINVAL;
    }
    if (term < 0 || term >= IB_TERM_COUNT)
        return IB_EINVAL;
    if (K <= 0)
        return IB_OK;
    if (L <= 0) {
        for (ib_ssize k = 0; k < K; k++)
            out[k] = 0.0;
        if (sums != NULL)
            for (ib_ssize k = 0; k < 2 * K; k++)
                sums[k] = 0.0;
        return IB_OK;
    }
    if (policy == IB_NAN_OMIT)
        chk = 0;
    const ib_ssize nch = (L + IB_CHUNK - 1) / IB_CHUNK;
    IB_TNAME(ib_red_ctx) X = {term, policy, chk, {0, 0, 0, 0}, sums, K, R, C, L,
                              a, b, c, sa, sb, sc, NULL, out,
                              IB_PICK(IB_TNAME(ib_chunk)),
                              IB_PICK(IB_TNAME(ib_outer_chunk))};
    ib_red_tp(term, par, chk, X.tp);
    ib_ssize flag = -1;
    int st;
    if (rowsum == NULL && IB_TNAME(ib_red_use_outer)(K, sa)) {
        ib_engine_job job = {(K + IB_OUTER_W - 1) / IB_OUTER_W, nch,
                             3 * IB_OUTER_W * sizeof(double), K * L,
                             IB_PAR_THRESHOLD, IB_TNAME(ib_red_outer_unit),
                             IB_TNAME(ib_red_outer_done), &X};
        st = ib_engine_run(&job, &flag);
    } else {
        ib_engine_job job = {K, nch, sizeof(ib_red_part), K * L, IB_PAR_THRESHOLD,
                             IB_TNAME(ib_red_unit), IB_TNAME(ib_red_done), &X};
        int nt = 1;
        if (rowsum != NULL) {   /* per-thread margins, merged below */
            nt = ib_engine_threads(job.work, K * nch, job.par_min);
            job.threads = nt;   /* the setting may change meanwhile */
            X.mg = (double *)calloc((size_t)nt * (size_t)(R + C), sizeof(double));
            if (X.mg == NULL)
                return IB_ENOMEM;
        }
        st = ib_engine_run(&job, &flag);
        if (X.mg != NULL) {
            for (int t = 0; t < nt; t++) {
                const double *m = X.mg + (ib_ssize)t * (R + C);
                for (ib_ssize r = 0; r < R; r++)
                    rowsum[r] += m[r];
                for (ib_ssize cc = 0; cc < C; cc++)
                    colsum[cc] += m[R + cc];
            }
            free(X.mg);
        }
    }
    if (st != IB_OK)
        return st;
    return flag >= 0 ? IB_EINVAL : IB_OK;
}

int IB_TNAME(ib_reduce)(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                        ib_ssize C, const IB_T *a, const ib_ssize *sa,
                        const IB_T *b, const ib_ssize *sb, const IB_T *c,
                        const ib_ssize *sc, double *out, double *sums)
{
    return IB_TNAME(ib_reduce_margins)(term, par, policy, chk, K, R, C, a, sa, b, sb,
                                       c, sc, out, sums, NULL, NULL);
}

/* Row and column sums of an R x C strided array (strides in elements), in
 * one pass, in a fixed order that depends only on R and C (not on the
 * strides): rowsum[r] by the blocked 8-lane sum and a pairwise tree over
 * blocks of IB_BLOCK, as the reductions do; colsum[c] by adding the rows in
 * order.  Used for marginals derived from a joint table (and to check a
 * given one against them).  Returns IB_OK or IB_ENOMEM. */
int IB_TNAME(ib_margins)(ib_ssize R, ib_ssize C, const IB_T *a, ib_ssize s0,
                         ib_ssize s1, double *rowsum, double *colsum)
{
    ib_ssize nb = (C + IB_BLOCK - 1) / IB_BLOCK;
    double buf[IB_BLOCK];
    double *bs = (double *)malloc((size_t)(nb > 0 ? nb : 1) * sizeof(double));
    if (bs == NULL)
        return IB_ENOMEM;
    for (ib_ssize c = 0; c < C; c++)
        colsum[c] = 0.0;
    for (ib_ssize r = 0; r < R; r++) {
        const IB_T *row = a + r * s0;
        for (ib_ssize b = 0; b < nb; b++) {
            ib_ssize c0 = b * IB_BLOCK;
            int n = (int)(C - c0 < IB_BLOCK ? C - c0 : IB_BLOCK);
            const IB_T *src = row + c0 * s1;
            const double *x = buf;
            if (!IB_F32 && s1 == 1)
                x = (const double *)src;
            else
                for (int j = 0; j < n; j++)
                    buf[j] = (double)src[j * s1];
            bs[b] = ib_margins_block_(x, colsum + c0, n);
        }
        rowsum[r] = nb > 0 ? ib_pairwise_sum(bs, nb) : 0.0;
    }
    free(bs);
    return IB_OK;
}
