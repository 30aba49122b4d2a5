/* The element-type-specific numerics kernels, compiled once per SIMD path
 * and element type: included by ib_numerics_path.h through ib_per_type.h
 * with IB_SFX, IB_T (double, float), IB_TS (f64, f32) and IB_F32 defined;
 * names are built with IB_FN(IB_TNAME(name)).  No include guard on purpose.  Everything
 * here is static; arithmetic is in double except where IB_F32 says
 * otherwise. */

/* n values of a 1-D strided sequence as doubles: the data itself when it
 * is contiguous float64, else a converted copy in buf. */
static inline const double *IB_FN(IB_TNAME(nx_load))(
    const IB_T *p, ib_ssize st, int n, double *restrict buf)
{
    if (sizeof(IB_T) == sizeof(double) && st == 1)
        return (const double *)(const void *)p;
    if (st == 1) {
        for (int i = 0; i < n; i++)
            buf[i] = (double)p[i];
    } else {
        for (int i = 0; i < n; i++)
            buf[i] = (double)p[i * st];
    }
    return buf;
}
static inline void IB_FN(IB_TNAME(nx_store))(IB_T *p, ib_ssize st,
                                        const double *restrict v, int n)
{
    if (st == 1) {
        for (int i = 0; i < n; i++)
            p[i] = (IB_T)v[i];
    } else {
        for (int i = 0; i < n; i++)
            p[i * st] = (IB_T)v[i];
    }
}
/* n values starting at flat position f of a 2-D (R, C) view. */
static inline const double *IB_FN(IB_TNAME(nx_gather))(
    const IB_T *base, const ib_ssize *s, ib_ssize C, ib_ssize f, int n,
    double *restrict buf)
{
    ib_ssize r = f / C, cc = f - (f / C) * C;
    if (cc + n <= C)
        return IB_FN(IB_TNAME(nx_load))(base + r * s[0] + cc * s[1], s[1], n,
                                   buf);
    int i = 0;
    while (i < n) {
        ib_ssize m = C - cc;
        if (m > n - i)
            m = n - i;
        const IB_T *row = base + r * s[0] + cc * s[1];
        for (ib_ssize j = 0; j < m; j++)
            buf[i + j] = (double)row[j * s[1]];
        i += (int)m;
        r++;
        cc = 0;
    }
    return buf;
}

/* ------------------------------------------ single precision (f32) -- */

#if IB_F32
/* float32 rows in single precision: exp(x - M) by ib_exp_diff_f32 (within
 * 1 ulp, x - M taken exactly), 8 lanes per AVX2 vector, the sums over them
 * in double (8 fixed lanes, the same fixed trees as float64); softmax
 * stores the float exps in out and scales them by 1/S in double. */

/* largest of n floats, NaN ignored (as nx_lmax) */
IB_NOINLINE static float IB_FN(IB_TNAME(nx_lmaxf))(const float *restrict t, int n)
{
    float acc[8];
    for (int j = 0; j < 8; j++)
        acc[j] = -INFINITY;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const float *restrict g = t + i;
#pragma omp simd
        for (int j = 0; j < 8; j++) {
            float v = g[j];
            acc[j] = v > acc[j] ? v : acc[j];
        }
    }
    for (int j = 0; i < n; i++, j++) {
        float v = t[i];
        acc[j] = v > acc[j] ? v : acc[j];
    }
    float m = -INFINITY;
    for (int j = 0; j < 8; j++)
        m = acc[j] > m ? acc[j] : m;
    return m;
}

static inline const float *IB_FN(IB_TNAME(nx_loadf))(const float *p, ib_ssize st,
                                             int n, float *restrict buf)
{
    if (st == 1)
        return p;
    for (int i = 0; i < n; i++)
        buf[i] = p[i * st];
    return buf;
}

/* e = exp(x - m), single precision */
IB_NOINLINE static void IB_FN(IB_TNAME(nx_expf_blk))(const float *restrict x, int n,
                                            float m, float *restrict e)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        e[i] = ib_exp_diff_f32(x[i], m);
}

/* *s = sum of e over entries != m (8 double lanes, the order of
 * ib_lanes_sum8), *c = count of entries == m */
IB_NOINLINE static void IB_FN(IB_TNAME(nx_sumf_blk))(const float *restrict x,
                                            const float *restrict e, int n,
                                            float m, double *s, double *c)
{
    float us[NXB];
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int cnt = 0;
    /* e times 0 or 1 rather than a select: gcc turns the select into a
     * masked load (vmaskmovps), which cannot take e from the store buffer
     * and stalls (e was written just before); e <= 1 or NaN, so e * 0
     * is 0 wherever the select would give 0 */
#pragma omp simd reduction(+ : cnt)
    for (int i = 0; i < n; i++) {
        int eq = (x[i] == m);
        us[i] = e[i] * (eq ? 0.0f : 1.0f);
        cnt += eq;
    }
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const float *restrict g = us + i;
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] += (double)g[j];
    }
    for (int j = 0; i < n; i++, j++)
        acc[j] += (double)us[i];
    *s = ib_lanes_total8(acc);
    *c = (double)cnt;
}

/* sum of the n floats e in 8 double lanes (the order of ib_lanes_sum8) */
IB_NOINLINE static double IB_FN(IB_TNAME(nx_sumf_plain))(const float *restrict e,
                                                int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const float *restrict g = e + i;
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] += (double)g[j];
    }
    for (int j = 0; i < n; i++, j++)
        acc[j] += (double)e[i];
    return ib_lanes_total8(acc);
}

/* o = e * r, the product in double, rounded once to float */
IB_NOINLINE static void IB_FN(IB_TNAME(nx_scalef_blk))(const float *restrict e, int n,
                                              double r, float *restrict o)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        o[i] = (float)((double)e[i] * r);
}

/* Sum of exp(x - m) over a block whose entries lie below m (or are NaN),
 * the exps in single precision and the sum in 8 double lanes.  (Called
 * before the block max is known too, see nx_lse_chunk.)  Terms below
 * 2^-126 lose precision or flush to 0; against the running max's own
 * term, 1, they are below double rounding. */
IB_NOINLINE static double IB_FN(IB_TNAME(nx_lsef_blk_below))(const float *restrict x,
                                                    int n, float m)
{
    float e[NXB];
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
#pragma omp simd
    for (int i = 0; i < n; i++)
        e[i] = ib_exp_diff_f32(x[i], m);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const float *restrict g = e + i;
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] += (double)g[j];
    }
    for (int j = 0; i < n; i++, j++)
        acc[j] += (double)e[i];
    return ib_lanes_total8(acc);
}
#endif

/* ---------------------------------------------------------------- lse -- */

/* Columns [c0, c1) of one row.  Running state (m, c, s): m the largest
 * entry so far, c the summed weights of the entries equal to m, s the sum
 * of b exp(a - m) over the other entries.  Blocks of NXB.  Most blocks lie
 * below m: after such a block the next one is summed against the running
 * m straight away (its exp loop reads it from memory, overlapping the
 * loads with the arithmetic) and its max taken afterwards, in L1; if the
 * max is below m the sum stands.  Otherwise, and after a block that
 * reached or raised m (so that rising or constant data do not pay for a
 * discarded sum on every block), the max comes first: a block below m is
 * summed as above, else m is raised (rescaling s and c) and the block
 * summed with the entries equal to m counted apart.  Each block's sum is
 * the same either way, so the result does not depend on the order. */
#if IB_F32
/* float32 without weights: as below, with the exps in single precision
 * (the below-max blocks, nearly all of them, by nx_lsef_blk_below). */
static ib_lse_acc IB_FN(IB_TNAME(nx_lsef_chunk))(const float *arow, ib_ssize sa1,
                                        ib_ssize c0, ib_ssize c1)
{
    double abuf[NXB];
    float fbuf[NXB], ebuf[NXB];
    double M = -INFINITY, c = 0.0, s = 0.0, bsum, bcnt;
    int spec = 0;           /* the previous block was below M */
    for (ib_ssize k = c0; k < c1; k += NXB) {
        int n = (int)((c1 - k) < NXB ? (c1 - k) : NXB);
        const float *xf = IB_FN(IB_TNAME(nx_loadf))(arow + k * sa1, sa1, n, fbuf);
        double bm;
        if (spec) {             /* sum first, then check */
            bsum = IB_FN(IB_TNAME(nx_lsef_blk_below))(xf, n, (float)M);
            bm = (double)IB_FN(IB_TNAME(nx_lmaxf))(xf, n);
            if (bm < M) {
                s += bsum;
                continue;
            }
            spec = 0;           /* discarded */
        } else {
            bm = (double)IB_FN(IB_TNAME(nx_lmaxf))(xf, n);
            if (bm < M) {
                s += IB_FN(IB_TNAME(nx_lsef_blk_below))(xf, n, (float)M);
                spec = 1;
                continue;
            }
        }
        if (bm > M) {
            s = (s + c) * ib_exp_f64(M - bm);
            c = 0.0;
            M = bm;
        }
        /* bm == M: the block holds the running max; single precision too
         * unless M is infinite (exp(inf - inf) is NaN: the double path
         * selects those terms away) */
        if (M > -INFINITY && M < INFINITY) {
            IB_FN(IB_TNAME(nx_expf_blk))(xf, n, (float)M, ebuf);
            IB_FN(IB_TNAME(nx_sumf_blk))(xf, ebuf, n, (float)M, &bsum, &bcnt);
        } else {
            const double *xa = IB_FN(IB_TNAME(nx_load))(xf, 1, n, abuf);
            IB_FN(nx_lse_blk)(xa, n, M, &bsum, &bcnt);
        }
        s += bsum;
        c += bcnt;
    }
    ib_lse_acc r = {M, c, s};
    return r;
}
#endif

static ib_lse_acc IB_FN(IB_TNAME(nx_lse_chunk))(
    const IB_T *arow, ib_ssize sa1, const IB_T *brow, ib_ssize sb1,
    ib_ssize c0, ib_ssize c1)
{
#if IB_F32
    if (brow == NULL)
        return IB_FN(IB_TNAME(nx_lsef_chunk))(arow, sa1, c0, c1);
#endif
    double abuf[NXB], bbuf[NXB], mbuf[NXB];
    double M = -INFINITY, c = 0.0, s = 0.0, bsum, bcnt;
    int spec = 0;           /* the previous block was below M */
    for (ib_ssize k = c0; k < c1; k += NXB) {
        int n = (int)((c1 - k) < NXB ? (c1 - k) : NXB);
        const double *xa = IB_FN(IB_TNAME(nx_load))(arow + k * sa1, sa1, n,
                                               abuf);
        const double *xb = NULL;
        if (brow != NULL) {
            xb = IB_FN(IB_TNAME(nx_load))(brow + k * sb1, sb1, n, bbuf);
            IB_FN(nx_mask)(xa, xb, mbuf, n);
            xa = mbuf;
        }
        double bm;
        if (spec) {             /* sum first, then check */
            bsum = xb != NULL ? IB_FN(nx_lse_blk_b_below)(xa, xb, n, M)
                              : IB_FN(nx_lse_blk_below)(xa, n, M);
            bm = IB_FN(nx_lmax)(xa, n);
            if (bm < M) {
                s += bsum;
                continue;
            }
            spec = 0;           /* discarded */
        } else {
            bm = IB_FN(nx_lmax)(xa, n);
            if (bm < M) {
                s += xb != NULL ? IB_FN(nx_lse_blk_b_below)(xa, xb, n, M)
                                : IB_FN(nx_lse_blk_below)(xa, n, M);
                spec = 1;
                continue;
            }
        }
        if (bm > M) {
            s = (s + c) * ib_exp_f64(M - bm);
            c = 0.0;
            M = bm;
        }
        /* bm == M: the block holds the running max */
        if (xb != NULL)
            IB_FN(nx_lse_blk_b)(xa, xb, n, M, &bsum, &bcnt);
        else if (M > -INFINITY && M < INFINITY)
            /* scaled terms straight into the lanes, nothing stored (the
             * sum of nx_lse_blk, bit for bit where the terms are normal) */
            IB_FN(nx_lsm_blk)(xa, n, M, &bsum, &bcnt);
        else
            IB_FN(nx_lse_blk)(xa, n, M, &bsum, &bcnt);
        s += bsum;
        c += bcnt;
    }
    ib_lse_acc r = {M, c, s};
    return r;
}

/* ------------------------------------------------------------ softmax -- */

/* A row is processed in chunks of IB_NX_CHUNK entries (32 blocks): the
 * chunk pieces below are what both the row-at-a-time path and the
 * chunk-parallel path (few long rows) run, in the same order of sums, so
 * the results are the same bits either way. */
#if IB_F32
/* log_softmax: o = (x - M) - lS in double, rounded once to float (the
 * arithmetic of nx_logsub, without the double buffers) */
IB_NOINLINE static void IB_FN(IB_TNAME(nx_logsubf))(const float *restrict x, int n,
                                           double M, double lS,
                                           float *restrict o)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        o[i] = (float)(((double)x[i] - M) - lS);
}

/* largest entry of xr[k0:k1] (NaN ignored) */
static double IB_FN(IB_TNAME(nx_sm_max))(const float *xr, ib_ssize sx1, ib_ssize k0,
                                ib_ssize k1)
{
    float buf[NXB], M = -INFINITY;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        const float *x = IB_FN(IB_TNAME(nx_loadf))(xr + k * sx1, sx1, n, buf);
        float bm = IB_FN(IB_TNAME(nx_lmaxf))(x, n);
        M = bm > M ? bm : M;
    }
    return (double)M;
}

/* one chunk: sum of exp(x - M) over entries != M (pairwise over its
 * blocks), count of entries == M into *cnt; softmax (keep) stores the
 * float exps in out. */
static double IB_FN(IB_TNAME(nx_sm_sum))(int keep, const float *xr, ib_ssize sx1,
                                float *orow, ib_ssize so1, ib_ssize k0,
                                ib_ssize k1, double M, double *cnt)
{
    float xb[NXB], eb[NXB];
    double bs[IB_NX_CHUNK_BLOCKS], bsum, bcnt, c = 0.0;
    const float m = (float)M;
    int nb = 0;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        const float *x = IB_FN(IB_TNAME(nx_loadf))(xr + k * sx1, sx1, n, xb);
        float *e = (keep && so1 == 1) ? orow + k : eb;
        if (e == x) {       /* in place: keep x for the comparisons */
            memcpy(xb, x, (size_t)n * sizeof(float));
            x = xb;
        }
        IB_FN(IB_TNAME(nx_expf_blk))(x, n, m, e);
        if (keep) {
            /* softmax needs S only to relative precision: all entries
             * summed, none kept apart (log S needs them apart) */
            bsum = IB_FN(IB_TNAME(nx_sumf_plain))(e, n);
            bcnt = 0.0;
        } else {
            IB_FN(IB_TNAME(nx_sumf_blk))(x, e, n, m, &bsum, &bcnt);
        }
        if (keep && so1 != 1)
            for (int i = 0; i < n; i++)
                orow[(k + i) * so1] = e[i];
        c += bcnt;
        bs[nb++] = bsum;
    }
    *cnt = c;
    return ib_pairwise_sum(bs, nb);
}

/* one chunk of the output */
static void IB_FN(IB_TNAME(nx_sm_fin))(int logsm, int keep, const float *xr,
                              ib_ssize sx1, float *orow, ib_ssize so1,
                              ib_ssize k0, ib_ssize k1, double M, double S,
                              double lS)
{
    double buf[NXB], t[NXB];
    float fb[NXB], fo[NXB];
    const double r = 1.0 / S;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        if (keep) {
            const float *e = IB_FN(IB_TNAME(nx_loadf))(orow + k * so1, so1, n, fb);
            float *o = so1 == 1 ? orow + k : fo;
            IB_FN(IB_TNAME(nx_scalef_blk))(e, n, r, o);
            if (so1 != 1)
                for (int i = 0; i < n; i++)
                    orow[(k + i) * so1] = fo[i];
        } else if (so1 == 1 && xr + k * sx1 != orow + k) {  /* not in place */
            const float *x = IB_FN(IB_TNAME(nx_loadf))(xr + k * sx1, sx1, n, fb);
            IB_FN(IB_TNAME(nx_logsubf))(x, n, M, lS, orow + k);
        } else {
            const double *x = IB_FN(IB_TNAME(nx_load))(xr + k * sx1, sx1, n, buf);
            IB_FN(nx_logsub)(x, n, M, lS, t);
            IB_FN(IB_TNAME(nx_store))(orow + k * so1, so1, t, n);
        }
    }
}

#else  /* float64 */

/* largest entry of xr[k0:k1] (NaN ignored) */
static double IB_FN(IB_TNAME(nx_sm_max))(const IB_T *xr, ib_ssize sx1,
                                    ib_ssize k0, ib_ssize k1)
{
    double buf[NXB], M = -INFINITY;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        const double *x = IB_FN(IB_TNAME(nx_load))(xr + k * sx1, sx1, n, buf);
        double bm = IB_FN(nx_lmax)(x, n);
        M = bm > M ? bm : M;
    }
    return M;
}
/* one chunk: sum of exp(x - M) over entries != M (pairwise over its
 * blocks), count of entries == M into *cnt; softmax (keep) keeps the
 * exps in out (stored after x is read: x may alias out). */
static double IB_FN(IB_TNAME(nx_sm_sum))(int keep, const IB_T *xr, ib_ssize sx1,
                                    IB_T *orow, ib_ssize so1, ib_ssize k0,
                                    ib_ssize k1, double M, double *cnt)
{
    double buf[NXB], t[NXB], bs[IB_NX_CHUNK_BLOCKS], bsum, bcnt = 0.0;
    double c = 0.0;
    int nb = 0;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        const double *x = IB_FN(IB_TNAME(nx_load))(xr + k * sx1, sx1, n, buf);
        if (keep) {
            /* softmax: the scaled exps straight into a contiguous output
             * row (stored after the block is read: x may alias out), and
             * their plain sum */
            double *e = so1 == 1 ? (double *)orow + k : t;
            if ((const double *)e == x)
                e = t;
            bsum = IB_FN(nx_smexp)(x, n, M, e);
            if (e == t)
                IB_FN(IB_TNAME(nx_store))(orow + k * so1, so1, t, n);
        } else {
            IB_FN(nx_lsm_blk)(x, n, M, &bsum, &bcnt);
        }
        c += bcnt;
        bs[nb++] = bsum;
    }
    *cnt = c;
    return ib_pairwise_sum(bs, nb);
}
/* one chunk of the output */
static void IB_FN(IB_TNAME(nx_sm_fin))(int logsm, int keep, const IB_T *xr,
                                  ib_ssize sx1, IB_T *orow, ib_ssize so1,
                                  ib_ssize k0, ib_ssize k1, double M,
                                  double S, double lS)
{
    double buf[NXB], t[NXB];
    const double r = 1.0 / S;   /* (softmax: S and the exps scaled alike) */
    (void)logsm;
    for (ib_ssize k = k0; k < k1; k += NXB) {
        int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);
        if (keep && so1 == 1) {
            IB_FN(nx_mul_inplace)((double *)orow + k, n, r);
            continue;
        }
        if (keep) {
            const double *e = IB_FN(IB_TNAME(nx_load))(orow + k * so1, so1, n,
                                                  buf);
            IB_FN(nx_mul)(e, n, r, t);
        } else {
            const double *x = IB_FN(IB_TNAME(nx_load))(xr + k * sx1, sx1, n,
                                                  buf);
            if (so1 == 1 && x != (const double *)orow + k) {
                /* straight into the output row (not in place) */
                IB_FN(nx_logsub)(x, n, M, lS, (double *)orow + k);
                continue;
            }
            IB_FN(nx_logsub)(x, n, M, lS, t);   /* (keep == !logsm) */
        }
        IB_FN(IB_TNAME(nx_store))(orow + k * so1, so1, t, n);
    }
}
#endif  /* IB_F32 */

/* Rows whose max is not finite: all -inf (or NaN) gives NaN; k > 0
 * entries equal to +inf share the mass (NaN if the row has a NaN). */
static void IB_FN(IB_TNAME(nx_sm_special))(int logsm, ib_ssize C,
                                      const IB_T *xr, ib_ssize sx1,
                                      IB_T *orow, ib_ssize so1, double M)
{
    double kinf = 0.0, nn = 0.0;
    if (M == INFINITY) {
        for (ib_ssize k = 0; k < C; k++) {
            double v = (double)xr[k * sx1];
            kinf += (v == INFINITY) ? 1.0 : 0.0;
            nn += (v != v) ? 1.0 : 0.0;
        }
        if (nn > 0.0)
            kinf = 0.0;
    }
    double hit = logsm ? -log(kinf) : 1.0 / kinf;
    double miss = logsm ? -INFINITY : 0.0;
    for (ib_ssize k = 0; k < C; k++) {
        double v = NAN;
        if (kinf > 0.0)
            v = ((double)xr[k * sx1] == INFINITY) ? hit : miss;
        orow[k * so1] = (IB_T)v;
    }
}
/* A whole row on the calling thread.  (NaN is ignored by the max; with
 * a finite max it reaches the sum through exp(NaN - M) and makes the
 * row NaN.)  Entries equal to M are counted apart, so that log S =
 * log cnt + log1p(s / cnt) keeps its precision when one entry
 * dominates. */
static void IB_FN(IB_TNAME(nx_softmax_row))(int logsm, ib_ssize C,
                                       const IB_T *xr, ib_ssize sx1,
                                       IB_T *orow, ib_ssize so1)
{
    const int keep = !logsm;   /* softmax keeps the exps in out */
    double M = IB_FN(IB_TNAME(nx_sm_max))(xr, sx1, 0, C);
    if (M == -INFINITY || M == INFINITY) {
        IB_FN(IB_TNAME(nx_sm_special))(logsm, C, xr, sx1, orow, so1, M);
        return;
    }
    double S = 0.0, cnt = 0.0, cc;
    for (ib_ssize k = 0; k < C; k += IB_NX_CHUNK) {
        ib_ssize k1 = k + IB_NX_CHUNK < C ? k + IB_NX_CHUNK : C;
        S += IB_FN(IB_TNAME(nx_sm_sum))(keep, xr, sx1, orow, so1, k, k1, M,
                                   &cc);
        cnt += cc;
    }
    /* (softmax needs S only: no logs) */
    const double lS = logsm ? ib_log_f64(cnt) + ib_log1p_f64(S / cnt) : 0.0;
    S += cnt;
    IB_FN(IB_TNAME(nx_sm_fin))(logsm, keep, xr, sx1, orow, so1, 0, C, M, S,
                          lS);
}

/* ------------------------------------------------------- short rows -- */

/* rows [r0, r1) (r1 - r0 <= NXB / C) of a short-row logsumexp */
static void IB_FN(IB_TNAME(nx_lse_small))(const IB_T *a, const ib_ssize *sa,
                                     const IB_T *b, const ib_ssize *sb,
                                     ib_ssize C, ib_ssize r0,
                                     ib_ssize r1, ib_lse_acc *acc)
{
    double xb[NXB], bb[NXB];
    const int c = (int)C, G = (int)(r1 - r0);
    const double *px, *pb = NULL;
    if (sizeof(IB_T) == sizeof(double) && sa[1] == 1 && sa[0] == C)
        px = (const double *)(const void *)(a + r0 * C);
    else {
        for (int j = 0; j < G; j++) {
            const double *v = IB_FN(IB_TNAME(nx_load))(
                a + (r0 + j) * sa[0], sa[1], c, xb + j * c);
            if (v != xb + j * c)
                memcpy(xb + j * c, v, (size_t)c * sizeof(double));
        }
        px = xb;
    }
    if (b != NULL) {
        for (int j = 0; j < G; j++) {
            const double *v = IB_FN(IB_TNAME(nx_load))(
                b + (r0 + j) * sb[0], sb[1], c, bb + j * c);
            if (v != bb + j * c)
                memcpy(bb + j * c, v, (size_t)c * sizeof(double));
        }
        pb = bb;
    }
    IB_FN(nx_lse_small)(px, pb, G, c, acc);
}
/* rows [r0, r1) of a short-row softmax / log_softmax */
static void IB_FN(IB_TNAME(nx_softmax_small))(int logsm, const IB_T *x,
                                         const ib_ssize *sx, IB_T *out,
                                         const ib_ssize *so, ib_ssize C,
                                         ib_ssize r0, ib_ssize r1)
{
    double xb[NXB], ob[NXB];
    int special[NXB];
    const int c = (int)C, G = (int)(r1 - r0);
    const double *px;
    if (G <= 0)
        return;
    /* (all of x is read before anything is stored: x may alias out) */
    if (sizeof(IB_T) == sizeof(double) && sx[1] == 1 && sx[0] == C)
        px = (const double *)(const void *)(x + r0 * C);
    else {
        for (int j = 0; j < G; j++) {
            const double *v = IB_FN(IB_TNAME(nx_load))(
                x + (r0 + j) * sx[0], sx[1], c, xb + j * c);
            if (v != xb + j * c)
                memcpy(xb + j * c, v, (size_t)c * sizeof(double));
        }
        px = xb;
    }
    IB_FN(nx_softmax_small)(logsm, px, G, c, ob, special);
    for (int j = 0; j < G; j++) {
        IB_T *orow = out + (r0 + j) * so[0];
        if (special[j])
            IB_FN(IB_TNAME(nx_sm_special))(logsm, C, x + (r0 + j) * sx[0],
                                      sx[1], orow, so[1],
                                      IB_FN(nx_lmax)(px + j * c, c));
        else
            IB_FN(IB_TNAME(nx_store))(orow, so[1], ob + j * c, c);
    }
}

/* ----------------------------------------------------------- softplus -- */

static void IB_FN(IB_TNAME(nx_softplus))(int neg, ib_ssize n0, ib_ssize n1,
                                    const IB_T *x, ib_ssize sx, IB_T *y,
                                    ib_ssize sy)
{
    double buf[NXB], t[NXB];
    const double sg = neg ? -1.0 : 1.0; /* log_sigmoid(x) = -sp(-x) */
    for (ib_ssize k = n0; k < n1; k += NXB) {
        int n = (int)((n1 - k) < NXB ? (n1 - k) : NXB);
        const double *v = IB_FN(IB_TNAME(nx_load))(x + k * sx, sx, n, buf);
        IB_FN(nx_softplus_blk)(v, n, sg, t);
        IB_FN(IB_TNAME(nx_store))(y + k * sy, sy, t, n);
    }
}

/* ------------------------------------------------------ binary losses -- */

static double IB_FN(IB_TNAME(nx_binary_chunk))(
    const ib_binary_params *P, ib_ssize C, ib_ssize f0, ib_ssize f1,
    const IB_T *x, const ib_ssize *sx, const IB_T *y, const ib_ssize *sy,
    const IB_T *w, const ib_ssize *sw, const IB_T *pw, const ib_ssize *spw,
    IB_T *loss, IB_T *grad)
{
    double bx[NXB], by[NXB], bw[NXB], bp[NXB], t[NXB], g[NXB];
    double ones[NXB];
    double bs[IB_NX_CHUNK_BLOCKS];
    int nb = 0;
    if (pw == NULL)
        for (int i = 0; i < NXB; i++)
            ones[i] = 1.0;
    for (ib_ssize f = f0; f < f1; f += NXB) {
        int n = (int)((f1 - f) < NXB ? (f1 - f) : NXB);
        const double *px = IB_FN(IB_TNAME(nx_gather))(x, sx, C, f, n, bx);
        const double *py = IB_FN(IB_TNAME(nx_gather))(y, sy, C, f, n, by);
        const double *pww = w ? IB_FN(IB_TNAME(nx_gather))(w, sw, C, f, n, bw)
                              : NULL;
        const double *ppw = pw ? IB_FN(IB_TNAME(nx_gather))(pw, spw, C, f, n,
                                                       bp)
                               : ones;
        IB_FN(nx_binary_block)(P, n, px, py, pww, ppw, pw != NULL, t, g,
                               grad != NULL);
        if (loss != NULL)
            IB_FN(IB_TNAME(nx_store))(loss + f, 1, t, n);
        if (grad != NULL)
            IB_FN(IB_TNAME(nx_store))(grad + f, 1, g, n);
        bs[nb++] = ib_lanes_sum8(t, n);
    }
    return ib_pairwise_sum(bs, nb);
}
