/* Body of the numerics kernels, compiled once per SIMD path.
 * Included by ib_numerics.c with IB_SFX defined (_base, _v3); no include
 * guard on purpose.  Everything here is static.  Hot loops call only the
 * ib_vmath.h functions (ib_exp_f64, ib_log_f64, ib_log1p_f64), so they
 * vectorise once those are branch-free. */

#define IB_CAT2(a, b) a##b
#define IB_CAT(a, b) IB_CAT2(a, b)
#define IB_FN(name) IB_CAT(name, IB_SFX)

#define NXB IB_NX_BLOCK


/* Largest of n values, NaN ignored (-inf if none).  gcc 12 uses maxpd for
 * the lanes only with the "omp simd" (else scalar compares and cmovs),
 * not inlined, and with the group addressed through a pointer (t[i + j]
 * in int arithmetic under -fwrapv becomes an emulated gather). */
IB_NOINLINE static double IB_FN(nx_lmax)(const double *restrict t, int n)
{
    double acc[8];
    for (int j = 0; j < 8; j++)
        acc[j] = -INFINITY;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const double *restrict g = t + i;
#pragma omp simd
        for (int j = 0; j < 8; j++) {
            double v = g[j];
            acc[j] = v > acc[j] ? v : acc[j];
        }
    }
    for (int j = 0; i < n; i++, j++) {
        double v = t[i];
        acc[j] = v > acc[j] ? v : acc[j];
    }
    double m = -INFINITY;
    for (int j = 0; j < 8; j++)
        m = acc[j] > m ? acc[j] : m;
    return m;
}

/* n values of a 1-D strided sequence as doubles: the data itself when it
 * is contiguous float64, else a converted copy in buf. */
#define IB_DEFINE_LOAD(T, TS)                                                 \
    static inline const double *IB_FN(nx_load_##TS)(                         \
        const T *p, ib_ssize st, int n, double *restrict buf)                 \
    {                                                                         \
        if (sizeof(T) == sizeof(double) && st == 1)                           \
            return (const double *)(const void *)p;                           \
        if (st == 1) {                                                        \
            for (int i = 0; i < n; i++)                                       \
                buf[i] = (double)p[i];                                        \
        } else {                                                              \
            for (int i = 0; i < n; i++)                                       \
                buf[i] = (double)p[i * st];                                   \
        }                                                                     \
        return buf;                                                           \
    }                                                                         \
    static inline void IB_FN(nx_store_##TS)(T *p, ib_ssize st,                \
                                            const double *restrict v, int n)  \
    {                                                                         \
        if (st == 1) {                                                        \
            for (int i = 0; i < n; i++)                                       \
                p[i] = (T)v[i];                                               \
        } else {                                                              \
            for (int i = 0; i < n; i++)                                       \
                p[i * st] = (T)v[i];                                          \
        }                                                                     \
    }                                                                         \
    /* n values starting at flat position f of a 2-D (R, C) view. */          \
    static inline const double *IB_FN(nx_gather_##TS)(                        \
        const T *base, const ib_ssize *s, ib_ssize C, ib_ssize f, int n,      \
        double *restrict buf)                                                 \
    {                                                                         \
        ib_ssize r = f / C, cc = f - (f / C) * C;                             \
        if (cc + n <= C)                                                      \
            return IB_FN(nx_load_##TS)(base + r * s[0] + cc * s[1], s[1], n,  \
                                       buf);                                  \
        int i = 0;                                                            \
        while (i < n) {                                                       \
            ib_ssize m = C - cc;                                              \
            if (m > n - i)                                                    \
                m = n - i;                                                    \
            const T *row = base + r * s[0] + cc * s[1];                       \
            for (ib_ssize j = 0; j < m; j++)                                  \
                buf[i + j] = (double)row[j * s[1]];                           \
            i += (int)m;                                                      \
            r++;                                                              \
            cc = 0;                                                           \
        }                                                                     \
        return buf;                                                           \
    }

IB_DEFINE_LOAD(double, f64)
IB_DEFINE_LOAD(float, f32)

/* ------------------------------------------------- block loops (f64) --
 * Plain loops over at most NXB doubles, one per job, so that each one
 * vectorises on its own (no control flow inside, restrict operands).
 * IB_NOINLINE: once inlined into their callers gcc 12 stops vectorising
 * some of them ("no vectype"); a call per block costs nothing. */

/* x where b != 0, else -inf (SciPy: a zero weight removes the term). */
IB_NOINLINE static void IB_FN(nx_mask)(const double *restrict x, const double *restrict b,
                           double *restrict m, int n)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        m[i] = (b[i] == 0.0) ? -INFINITY : x[i];
}

/* Sum of exp(x - M) over entries != M into *s, count of entries == M into
 * *c. */
IB_NOINLINE static void IB_FN(nx_lse_blk)(const double *restrict x, int n, double M,
                              double *s, double *c)
{
    double t[NXB], cm[NXB];
    /* One store per exp loop: gcc 12 does not vectorise the table-driven
     * ib_exp_f64 in a loop that also stores a second array. */
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double v = x[i];
        double e = ib_exp_f64(v - M);
        t[i] = (v == M) ? 0.0 : e;
    }
#pragma omp simd
    for (int i = 0; i < n; i++)
        cm[i] = (x[i] == M) ? 1.0 : 0.0;
    *s = ib_lanes_sum8(t, n);
    *c = ib_lanes_sum8(cm, n);
}

/* Sum of exp(x - M) for a block whose entries are all below M (or NaN):
 * the terms are taken as exp(x - M) * 2^512 (ib_exp_scaled_f64, valid for
 * the non-positive x - M, cheaper than ib_exp_f64) and added in the 8
 * lanes of ib_lanes_sum8 directly (no buffer), the sum scaled back once.
 * Bit for bit the sum of nx_lse_blk (with c = 0) whenever the terms are
 * normal numbers; terms below 2^-1022 are kept to full precision here.
 * Also called before the block max is known (see nx_lse_chunk): entries
 * above M then give garbage, which the caller discards. */
IB_NOINLINE static double IB_FN(nx_lse_blk_below)(const double *restrict x, int n,
                                      double M)
{
    double acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const double *restrict g = x + i;   /* (not x[i + j]: see nx_lmax) */
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] += ib_exp_scaled_f64(g[j] - M);
    }
    for (int j = 0; i < n; i++, j++)
        acc[j] += ib_exp_scaled_f64(x[i] - M);
    return ib_lanes_total8(acc) * IB_VM_TWOM512_;
}

/* ib_vexp_scaled_f64 (test hook): the term of nx_lse_blk_below alone. */
IB_NOINLINE static void IB_FN(nx_vexp_scaled)(const double *restrict x,
                                              double *restrict y, ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_scaled_f64(x[i]);
}

IB_NOINLINE static double IB_FN(nx_lse_blk_b_below)(const double *restrict x,
                                        const double *restrict b, int n,
                                        double M)
{
    double t[NXB];
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = b[i] * ib_exp_f64(x[i] - M);
    return ib_lanes_sum8(t, n);
}

/* As nx_lse_blk with weights b. */
IB_NOINLINE static void IB_FN(nx_lse_blk_b)(const double *restrict x,
                                const double *restrict b, int n, double M,
                                double *s, double *c)
{
    double t[NXB], cm[NXB];
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double v = x[i], bb = b[i];
        double e = bb * ib_exp_f64(v - M);
        t[i] = (v == M) ? 0.0 : e;
    }
#pragma omp simd
    for (int i = 0; i < n; i++)
        cm[i] = (x[i] == M) ? b[i] : 0.0;
    *s = ib_lanes_sum8(t, n);
    *c = ib_lanes_sum8(cm, n);
}

/* e = exp(x - M); *s = sum of e over entries != M, *c = count of == M. */
IB_NOINLINE static void IB_FN(nx_softmax_exp)(const double *restrict x, int n, double M,
                                  double *restrict e, double *s, double *c)
{
    double us[NXB], cs[NXB];
#pragma omp simd
    for (int i = 0; i < n; i++)
        e[i] = ib_exp_f64(x[i] - M);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        int eq = (x[i] == M);
        us[i] = eq ? 0.0 : e[i];
        cs[i] = eq ? 1.0 : 0.0;
    }
    *s = ib_lanes_sum8(us, n);
    *c = ib_lanes_sum8(cs, n);
}

IB_NOINLINE static void IB_FN(nx_div)(const double *restrict e, int n, double S,
                          double *restrict t)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = e[i] / S;
}

IB_NOINLINE static void IB_FN(nx_expdiv)(const double *restrict x, int n, double M,
                             double S, double *restrict t)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = ib_exp_f64(x[i] - M) / S;
}

IB_NOINLINE static void IB_FN(nx_logsub)(const double *restrict x, int n, double M,
                             double lS, double *restrict t)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = (x[i] - M) - lS;
}

/* The loops below call at most one ib_vmath function each: gcc 12 does
 * not vectorise a loop that chains two of them (e.g. log1p(exp(.))), so
 * chained calls go through a block buffer. */

/* u = exp(-|sg * x|) */
IB_NOINLINE static void IB_FN(nx_expnegabs)(const double *restrict x, int n, double sg,
                                double *restrict u)
{
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double z = sg * x[i];
        double az = z < 0.0 ? -z : z;
        u[i] = ib_exp_f64(-az);
    }
}

/* L = log1p(u) */
IB_NOINLINE static void IB_FN(nx_log1p_blk)(const double *restrict u, int n,
                                double *restrict L)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        L[i] = ib_log1p_f64(u[i]);
}

/* t = sg * softplus(sg * x): softplus (sg = 1) or log-sigmoid (sg = -1).
 * max(z, 0) + log1p(exp(-|z|)); + 0.0 turns -0.0 into 0.0. */
IB_NOINLINE static void IB_FN(nx_softplus_blk)(const double *restrict x, int n, double sg,
                                   double *restrict t)
{
    double u[NXB], L[NXB];
    IB_FN(nx_expnegabs)(x, n, sg, u);
    IB_FN(nx_log1p_blk)(u, n, L);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double z = sg * x[i];
        double mz = z > 0.0 ? z : 0.0;
        t[i] = sg * (mz + L[i]) + 0.0;
    }
}

/* BCE on probabilities: t = -(pw y log p + (1 - y) log1p(-p)), a zero
 * coefficient times an infinite log counting as 0; g = dt/dp. */
IB_NOINLINE static void IB_FN(nx_bce_prob_blk)(const double *restrict x,
                                   const double *restrict y,
                                   const double *restrict pw, int haspw,
                                   int n, double *restrict t,
                                   double *restrict g)
{
    double lp[NXB], lq[NXB];
#pragma omp simd
    for (int i = 0; i < n; i++)
        lp[i] = ib_log_f64(x[i]);
#pragma omp simd
    for (int i = 0; i < n; i++)
        lq[i] = ib_log1p_f64(-x[i]);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double p = x[i], yy = y[i];
        double ca = pw[i] * yy, cb = 1.0 - yy;
        double a = ca * lp[i];
        double b = cb * lq[i];
        a = (ca == 0.0) ? 0.0 : a;
        b = (cb == 0.0) ? 0.0 : b;
        t[i] = 0.0 - (a + b);   /* +0, not -0, for a perfect prediction */
        double den = p * (1.0 - p);
        double ga = (ca == 0.0) ? 0.0 : -ca / p;
        double gb = (cb == 0.0) ? 0.0 : cb / (1.0 - p);
        double num = haspw ? p * (ca + cb) - ca : p - yy;
        g[i] = (den != 0.0) ? num / den : ga + gb;
    }
}

/* BCE on logits: t = pw y softplus(-x) + (1 - y) softplus(x) (zero
 * coefficients count as 0 against infinite softplus); g = dt/dx =
 * (1 - y) sigmoid(x) - pw y sigmoid(-x). */
IB_NOINLINE static void IB_FN(nx_bce_logit_blk)(const double *restrict x,
                                    const double *restrict y,
                                    const double *restrict pw, int n,
                                    double *restrict t, double *restrict g)
{
    double u[NXB], L[NXB];
    IB_FN(nx_expnegabs)(x, n, 1.0, u);
    IB_FN(nx_log1p_blk)(u, n, L);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double xv = x[i], yy = y[i], e = u[i];
        double spp = (xv > 0.0 ? xv : 0.0) + L[i];   /* softplus(x)  */
        double spn = (xv < 0.0 ? -xv : 0.0) + L[i];  /* softplus(-x) */
        double inv = 1.0 / (1.0 + e);
        double s = xv >= 0.0 ? inv : e * inv;         /* sigmoid(x)   */
        double sn = xv >= 0.0 ? e * inv : inv;        /* sigmoid(-x)  */
        double ca = pw[i] * yy, cb = 1.0 - yy;
        double la = (ca == 0.0) ? 0.0 : ca * spn;
        double lb = (cb == 0.0) ? 0.0 : cb * spp;
        t[i] = la + lb;
        g[i] = cb * s - ca * sn;
    }
}

/* Sigmoid focal loss: t = a_t ce q^gamma with q = 1 - p_t computed as
 * (1 - y) sigmoid(x) + y sigmoid(-x); g = dt/dx =
 * a_t (dce q^gamma + ce gamma q^(gamma-1) (1 - 2y) s sn).
 * gamma == 2: q*q; gamma == 0, 1 exact; else exp(gamma log q). */
IB_NOINLINE static void IB_FN(nx_focal_blk)(const double *restrict x,
                                const double *restrict y, int n,
                                double gamma, double alpha, int use_alpha,
                                double *restrict t, double *restrict g)
{
    double u[NXB], L[NXB], ce[NXB], dce[NXB], q[NXB], ss[NXB], qg[NXB];
    IB_FN(nx_expnegabs)(x, n, 1.0, u);
    IB_FN(nx_log1p_blk)(u, n, L);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double xv = x[i], yy = y[i], e = u[i];
        double spp = (xv > 0.0 ? xv : 0.0) + L[i];
        double spn = (xv < 0.0 ? -xv : 0.0) + L[i];
        double inv = 1.0 / (1.0 + e);
        double s = xv >= 0.0 ? inv : e * inv;
        double sn = xv >= 0.0 ? e * inv : inv;
        double cb = 1.0 - yy;
        double la = (yy == 0.0) ? 0.0 : yy * spn;
        double lb = (cb == 0.0) ? 0.0 : cb * spp;
        ce[i] = la + lb;
        dce[i] = cb * s - yy * sn;
        q[i] = cb * s + yy * sn;
        ss[i] = s * sn;
    }
    if (gamma == 2.0) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            qg[i] = q[i] * q[i];
    } else if (gamma == 1.0) {
        for (int i = 0; i < n; i++)
            qg[i] = q[i];
    } else if (gamma == 0.0) {
        for (int i = 0; i < n; i++)
            qg[i] = 1.0;
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            L[i] = gamma * ib_log_f64(q[i]);
#pragma omp simd
        for (int i = 0; i < n; i++)
            qg[i] = ib_exp_f64(L[i]);
    }
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double yy = y[i], c = ce[i], qq = q[i], p = qg[i], sv = ss[i];
        double qg1 = (qq > 0.0) ? p / qq : 0.0;
        double t2 = c * gamma * qg1 * (1.0 - 2.0 * yy) * sv;
        t2 = (sv == 0.0) ? 0.0 : t2;
        double at = use_alpha ? alpha * yy + (1.0 - alpha) * (1.0 - yy) : 1.0;
        double lq = c * p;
        lq = (c == 0.0) ? 0.0 : lq;
        t[i] = at * lq;
        g[i] = at * (dce[i] * p + t2);
    }
}

/* Weights (0 wins against an infinite loss) and the gradient scale. */
IB_NOINLINE static void IB_FN(nx_weight_blk)(const double *restrict w, int n,
                                 double *restrict t, double *restrict g)
{
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double wv = w[i];
        t[i] = (wv == 0.0) ? 0.0 : wv * t[i];
        g[i] = (wv == 0.0) ? 0.0 : wv * g[i];
    }
}

IB_NOINLINE static void IB_FN(nx_scale_blk)(double gs, int n, double *restrict g)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        g[i] *= gs;
}

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
#define IB_DEFINE_LSE_CHUNK(T, TS)                                            \
    static ib_lse_acc IB_FN(nx_lse_chunk_##TS)(                               \
        const T *arow, ib_ssize sa1, const T *brow, ib_ssize sb1,             \
        ib_ssize c0, ib_ssize c1)                                             \
    {                                                                         \
        double abuf[NXB], bbuf[NXB], mbuf[NXB];                               \
        double M = -INFINITY, c = 0.0, s = 0.0, bsum, bcnt;                   \
        int spec = 0;           /* the previous block was below M */          \
        for (ib_ssize k = c0; k < c1; k += NXB) {                             \
            int n = (int)((c1 - k) < NXB ? (c1 - k) : NXB);                   \
            const double *xa = IB_FN(nx_load_##TS)(arow + k * sa1, sa1, n,    \
                                                   abuf);                     \
            const double *xb = NULL;                                          \
            if (brow != NULL) {                                               \
                xb = IB_FN(nx_load_##TS)(brow + k * sb1, sb1, n, bbuf);       \
                IB_FN(nx_mask)(xa, xb, mbuf, n);                              \
                xa = mbuf;                                                    \
            }                                                                 \
            double bm;                                                        \
            if (spec) {             /* sum first, then check */               \
                bsum = xb != NULL ? IB_FN(nx_lse_blk_b_below)(xa, xb, n, M)   \
                                  : IB_FN(nx_lse_blk_below)(xa, n, M);        \
                bm = IB_FN(nx_lmax)(xa, n);                                   \
                if (bm < M) {                                                 \
                    s += bsum;                                                \
                    continue;                                                 \
                }                                                             \
                spec = 0;           /* discarded */                           \
            } else {                                                          \
                bm = IB_FN(nx_lmax)(xa, n);                                   \
                if (bm < M) {                                                 \
                    s += xb != NULL ? IB_FN(nx_lse_blk_b_below)(xa, xb, n, M) \
                                    : IB_FN(nx_lse_blk_below)(xa, n, M);      \
                    spec = 1;                                                 \
                    continue;                                                 \
                }                                                             \
            }                                                                 \
            if (bm > M) {                                                     \
                s = (s + c) * ib_exp_f64(M - bm);                             \
                c = 0.0;                                                      \
                M = bm;                                                       \
            }                                                                 \
            /* bm == M: the block holds the running max */                    \
            if (xb != NULL)                                                   \
                IB_FN(nx_lse_blk_b)(xa, xb, n, M, &bsum, &bcnt);              \
            else                                                              \
                IB_FN(nx_lse_blk)(xa, n, M, &bsum, &bcnt);                    \
            s += bsum;                                                        \
            c += bcnt;                                                        \
        }                                                                     \
        ib_lse_acc r = {M, c, s};                                             \
        return r;                                                             \
    }

IB_DEFINE_LSE_CHUNK(double, f64)
IB_DEFINE_LSE_CHUNK(float, f32)

/* ------------------------------------------------------------ softmax -- */

/* A row is processed in chunks of IB_NX_CHUNK entries (32 blocks): the
 * chunk pieces below are what both the row-at-a-time path and the
 * chunk-parallel path (few long rows) run, in the same order of sums, so
 * the results are the same bits either way. */
#define IB_DEFINE_SOFTMAX_ROW(T, TS)                                          \
    /* largest entry of xr[k0:k1] (NaN ignored) */                            \
    static double IB_FN(nx_sm_max_##TS)(const T *xr, ib_ssize sx1,            \
                                        ib_ssize k0, ib_ssize k1)             \
    {                                                                         \
        double buf[NXB], M = -INFINITY;                                       \
        for (ib_ssize k = k0; k < k1; k += NXB) {                             \
            int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);                   \
            const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n, buf); \
            double bm = IB_FN(nx_lmax)(x, n);                                 \
            M = bm > M ? bm : M;                                              \
        }                                                                     \
        return M;                                                             \
    }                                                                         \
    /* one chunk: sum of exp(x - M) over entries != M (pairwise over its    \
     * blocks), count of entries == M into *cnt; float64 softmax keeps the  \
     * exps in out (stored after x is read: x may alias out). */             \
    static double IB_FN(nx_sm_sum_##TS)(int keep, const T *xr, ib_ssize sx1,  \
                                        T *orow, ib_ssize so1, ib_ssize k0,   \
                                        ib_ssize k1, double M, double *cnt)   \
    {                                                                         \
        double buf[NXB], t[NXB], bs[IB_NX_CHUNK_BLOCKS], bsum, bcnt;          \
        double c = 0.0;                                                       \
        int nb = 0;                                                           \
        for (ib_ssize k = k0; k < k1; k += NXB) {                             \
            int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);                   \
            const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n, buf); \
            IB_FN(nx_softmax_exp)(x, n, M, t, &bsum, &bcnt);                  \
            if (keep)                                                         \
                IB_FN(nx_store_##TS)(orow + k * so1, so1, t, n);              \
            c += bcnt;                                                        \
            bs[nb++] = bsum;                                                  \
        }                                                                     \
        *cnt = c;                                                             \
        return ib_pairwise_sum(bs, nb);                                       \
    }                                                                         \
    /* one chunk of the output */                                            \
    static void IB_FN(nx_sm_fin_##TS)(int logsm, int keep, const T *xr,       \
                                      ib_ssize sx1, T *orow, ib_ssize so1,    \
                                      ib_ssize k0, ib_ssize k1, double M,     \
                                      double S, double lS)                    \
    {                                                                         \
        double buf[NXB], t[NXB];                                              \
        for (ib_ssize k = k0; k < k1; k += NXB) {                             \
            int n = (int)((k1 - k) < NXB ? (k1 - k) : NXB);                   \
            if (keep) {                                                       \
                const double *e = IB_FN(nx_load_##TS)(orow + k * so1, so1, n, \
                                                      buf);                   \
                IB_FN(nx_div)(e, n, S, t);                                    \
            } else {                                                          \
                const double *x = IB_FN(nx_load_##TS)(xr + k * sx1, sx1, n,   \
                                                      buf);                   \
                if (logsm)                                                    \
                    IB_FN(nx_logsub)(x, n, M, lS, t);                         \
                else                                                          \
                    IB_FN(nx_expdiv)(x, n, M, S, t);                          \
            }                                                                 \
            IB_FN(nx_store_##TS)(orow + k * so1, so1, t, n);                  \
        }                                                                     \
    }                                                                         \
    /* Rows whose max is not finite: all -inf (or NaN) gives NaN; k > 0     \
     * entries equal to +inf share the mass (NaN if the row has a NaN). */   \
    static void IB_FN(nx_sm_special_##TS)(int logsm, ib_ssize C,              \
                                          const T *xr, ib_ssize sx1,          \
                                          T *orow, ib_ssize so1, double M)    \
    {                                                                         \
        double kinf = 0.0, nn = 0.0;                                          \
        if (M == INFINITY) {                                                  \
            for (ib_ssize k = 0; k < C; k++) {                                \
                double v = (double)xr[k * sx1];                               \
                kinf += (v == INFINITY) ? 1.0 : 0.0;                          \
                nn += (v != v) ? 1.0 : 0.0;                                   \
            }                                                                 \
            if (nn > 0.0)                                                     \
                kinf = 0.0;                                                   \
        }                                                                     \
        double hit = logsm ? -log(kinf) : 1.0 / kinf;                         \
        double miss = logsm ? -INFINITY : 0.0;                                \
        for (ib_ssize k = 0; k < C; k++) {                                    \
            double v = NAN;                                                   \
            if (kinf > 0.0)                                                   \
                v = ((double)xr[k * sx1] == INFINITY) ? hit : miss;           \
            orow[k * so1] = (T)v;                                             \
        }                                                                     \
    }                                                                         \
    /* A whole row on the calling thread.  (NaN is ignored by the max; with  \
     * a finite max it reaches the sum through exp(NaN - M) and makes the    \
     * row NaN.)  Entries equal to M are counted apart, so that log S =      \
     * log cnt + log1p(s / cnt) keeps its precision when one entry           \
     * dominates. */                                                          \
    static void IB_FN(nx_softmax_row_##TS)(int logsm, ib_ssize C,             \
                                           const T *xr, ib_ssize sx1,         \
                                           T *orow, ib_ssize so1)             \
    {                                                                         \
        const int keep = !logsm && sizeof(T) == sizeof(double);               \
        double M = IB_FN(nx_sm_max_##TS)(xr, sx1, 0, C);                      \
        if (M == -INFINITY || M == INFINITY) {                                \
            IB_FN(nx_sm_special_##TS)(logsm, C, xr, sx1, orow, so1, M);       \
            return;                                                           \
        }                                                                     \
        double S = 0.0, cnt = 0.0, cc;                                        \
        for (ib_ssize k = 0; k < C; k += IB_NX_CHUNK) {                       \
            ib_ssize k1 = k + IB_NX_CHUNK < C ? k + IB_NX_CHUNK : C;          \
            S += IB_FN(nx_sm_sum_##TS)(keep, xr, sx1, orow, so1, k, k1, M,    \
                                       &cc);                                  \
            cnt += cc;                                                        \
        }                                                                     \
        const double lS = ib_log_f64(cnt) + ib_log1p_f64(S / cnt);                          \
        S += cnt;                                                             \
        IB_FN(nx_sm_fin_##TS)(logsm, keep, xr, sx1, orow, so1, 0, C, M, S,    \
                              lS);                                            \
    }

IB_DEFINE_SOFTMAX_ROW(double, f64)
IB_DEFINE_SOFTMAX_ROW(float, f32)

/* ------------------------------------------------------- short rows -- */

/* G rows of C <= IB_NX_SMALL_C entries, held contiguous in x (G * C <=
 * NXB): one vector loop over the whole group instead of one short loop
 * per row.  mv receives each entry's row max (NaN ignored). */
IB_NOINLINE static void IB_FN(nx_rowmax_small)(const double *restrict x, int G, int C,
                                   double *restrict rm, double *restrict mv)
{
    for (int j = 0; j < G; j++) {
        double m = -INFINITY;
        for (int k = 0; k < C; k++) {
            double v = x[j * C + k];
            m = v > m ? v : m;
        }
        rm[j] = m;
        for (int k = 0; k < C; k++)
            mv[j * C + k] = m;
    }
}

/* Partial log-sum-exp state of each of G short rows (b may be NULL). */
IB_NOINLINE static void IB_FN(nx_lse_small)(const double *x, const double *b, int G,
                                int C, ib_lse_acc *acc)
{
    double xm[NXB], mv[NXB], t[NXB], cm[NXB], rm[NXB];
    const int n = G * C;
    if (b != NULL) {
        IB_FN(nx_mask)(x, b, xm, n);
        x = xm;
    }
    IB_FN(nx_rowmax_small)(x, G, C, rm, mv);
    if (b != NULL) {
        const double *restrict xr = x, *restrict br = b;
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double v = xr[i], bb = br[i];
            double e = bb * ib_exp_f64(v - mv[i]);
            t[i] = (v == mv[i]) ? 0.0 : e;
        }
#pragma omp simd
        for (int i = 0; i < n; i++)
            cm[i] = (xr[i] == mv[i]) ? br[i] : 0.0;
    } else {
        const double *restrict xr = x;
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double v = xr[i];
            double e = ib_exp_f64(v - mv[i]);
            t[i] = (v == mv[i]) ? 0.0 : e;
        }
#pragma omp simd
        for (int i = 0; i < n; i++)
            cm[i] = (xr[i] == mv[i]) ? 1.0 : 0.0;
    }
    for (int j = 0; j < G; j++) {
        double s = 0.0, c = 0.0;
        for (int k = 0; k < C; k++) {
            s += t[j * C + k];
            c += cm[j * C + k];
        }
        acc[j].m = rm[j];
        acc[j].c = c;
        acc[j].s = s;
    }
}

/* ib_lse_finish for G rows with the logs in vector loops; rows with a
 * non-finite result take the scalar path (same functions, same bits). */
IB_NOINLINE static void IB_FN(nx_lse_finish_small)(const ib_lse_acc *acc, int G,
                                       double *out, double *sgn)
{
    double spv[NXB], cv[NXB], gv[NXB], l1[NXB], l2[NXB];
    for (int j = 0; j < G; j++) {
        double c = acc[j].c, s = acc[j].s;
        double sp = (s == 0.0) ? s : s / c;
        double u = sp + 1.0;
        double g1 = u > 0.0 ? 1.0 : u < 0.0 ? -1.0 : u == 0.0 ? 0.0 : NAN;
        double g2 = c > 0.0 ? 1.0 : c < 0.0 ? -1.0 : c == 0.0 ? 0.0 : NAN;
        gv[j] = g1 * g2;
        spv[j] = (sp < -1.0) ? -sp - 2.0 : sp;
        cv[j] = c < 0.0 ? -c : c;
    }
#pragma omp simd
    for (int j = 0; j < G; j++)
        l1[j] = ib_log1p_f64(spv[j]);
#pragma omp simd
    for (int j = 0; j < G; j++)
        l2[j] = ib_log_f64(cv[j]);
    for (int j = 0; j < G; j++) {
        double M = acc[j].m;
        double o = l1[j] + l2[j] + M;
        if (M == -INFINITY || !(o > -INFINITY && o < INFINITY)) {
            ib_lse_finish(acc[j], out + j, sgn != NULL ? sgn + j : NULL);
        } else {
            out[j] = o;
            if (sgn != NULL)
                sgn[j] = gv[j];
        }
    }
}

/* Softmax / log_softmax of G short rows into o (contiguous, G * C).
 * special[j] is set for rows whose max is not finite (left for the
 * caller). */
IB_NOINLINE static void IB_FN(nx_softmax_small)(int logsm, const double *restrict x,
                                    int G, int C, double *restrict o,
                                    int *special)
{
    double mv[NXB], e[NXB], us[NXB], cs[NXB], rm[NXB], sv[NXB];
    const int n = G * C;
    IB_FN(nx_rowmax_small)(x, G, C, rm, mv);
#pragma omp simd
    for (int i = 0; i < n; i++)
        e[i] = ib_exp_f64(x[i] - mv[i]);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        int eq = (x[i] == mv[i]);
        us[i] = eq ? 0.0 : e[i];
        cs[i] = eq ? 1.0 : 0.0;
    }
    double rS[NXB], rc[NXB], l1[NXB], l2[NXB];
    for (int j = 0; j < G; j++) {
        double S = 0.0, cnt = 0.0;
        for (int k = 0; k < C; k++) {
            S += us[j * C + k];
            cnt += cs[j * C + k];
        }
        special[j] = !(rm[j] > -INFINITY && rm[j] < INFINITY);
        rS[j] = S;
        rc[j] = cnt;
    }
    if (logsm) {
        /* log S = log cnt + log1p(s / cnt), as in the long-row path */
#pragma omp simd
        for (int j = 0; j < G; j++)
            l1[j] = ib_log_f64(rc[j]);
#pragma omp simd
        for (int j = 0; j < G; j++)
            l2[j] = ib_log1p_f64(rS[j] / rc[j]);
    }
    for (int j = 0; j < G; j++) {
        double v = logsm ? l1[j] + l2[j] : rS[j] + rc[j];
        for (int k = 0; k < C; k++)
            sv[j * C + k] = v;
    }
    if (logsm) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            o[i] = (x[i] - mv[i]) - sv[i];
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            o[i] = e[i] / sv[i];
    }
}

#define IB_DEFINE_SMALL(T, TS)                                                \
    /* rows [r0, r1) (r1 - r0 <= NXB / C) of a short-row logsumexp */         \
    static void IB_FN(nx_lse_small_##TS)(const T *a, const ib_ssize *sa,      \
                                         const T *b, const ib_ssize *sb,      \
                                         ib_ssize C, ib_ssize r0,             \
                                         ib_ssize r1, ib_lse_acc *acc)        \
    {                                                                         \
        double xb[NXB], bb[NXB];                                              \
        const int c = (int)C, G = (int)(r1 - r0);                             \
        const double *px, *pb = NULL;                                         \
        if (sizeof(T) == sizeof(double) && sa[1] == 1 && sa[0] == C)          \
            px = (const double *)(const void *)(a + r0 * C);                  \
        else {                                                                \
            for (int j = 0; j < G; j++) {                                     \
                const double *v = IB_FN(nx_load_##TS)(                        \
                    a + (r0 + j) * sa[0], sa[1], c, xb + j * c);              \
                if (v != xb + j * c)                                          \
                    memcpy(xb + j * c, v, (size_t)c * sizeof(double));        \
            }                                                                 \
            px = xb;                                                          \
        }                                                                     \
        if (b != NULL) {                                                      \
            for (int j = 0; j < G; j++) {                                     \
                const double *v = IB_FN(nx_load_##TS)(                        \
                    b + (r0 + j) * sb[0], sb[1], c, bb + j * c);              \
                if (v != bb + j * c)                                          \
                    memcpy(bb + j * c, v, (size_t)c * sizeof(double));        \
            }                                                                 \
            pb = bb;                                                          \
        }                                                                     \
        IB_FN(nx_lse_small)(px, pb, G, c, acc);                               \
    }                                                                         \
    /* rows [r0, r1) of a short-row softmax / log_softmax */                  \
    static void IB_FN(nx_softmax_small_##TS)(int logsm, const T *x,           \
                                             const ib_ssize *sx, T *out,      \
                                             const ib_ssize *so, ib_ssize C,  \
                                             ib_ssize r0, ib_ssize r1)        \
    {                                                                         \
        double xb[NXB], ob[NXB];                                              \
        int special[NXB];                                                     \
        const int c = (int)C, G = (int)(r1 - r0);                             \
        const double *px;                                                     \
        if (G <= 0)                                                           \
            return;                                                           \
        /* (all of x is read before anything is stored: x may alias out) */  \
        if (sizeof(T) == sizeof(double) && sx[1] == 1 && sx[0] == C)          \
            px = (const double *)(const void *)(x + r0 * C);                  \
        else {                                                                \
            for (int j = 0; j < G; j++) {                                     \
                const double *v = IB_FN(nx_load_##TS)(                        \
                    x + (r0 + j) * sx[0], sx[1], c, xb + j * c);              \
                if (v != xb + j * c)                                          \
                    memcpy(xb + j * c, v, (size_t)c * sizeof(double));        \
            }                                                                 \
            px = xb;                                                          \
        }                                                                     \
        IB_FN(nx_softmax_small)(logsm, px, G, c, ob, special);                \
        for (int j = 0; j < G; j++) {                                         \
            T *orow = out + (r0 + j) * so[0];                                 \
            if (special[j])                                                   \
                IB_FN(nx_sm_special_##TS)(logsm, C, x + (r0 + j) * sx[0],     \
                                          sx[1], orow, so[1],                 \
                                          IB_FN(nx_lmax)(px + j * c, c));     \
            else                                                              \
                IB_FN(nx_store_##TS)(orow, so[1], ob + j * c, c);             \
        }                                                                     \
    }

IB_DEFINE_SMALL(double, f64)
IB_DEFINE_SMALL(float, f32)

/* ----------------------------------------------------------- softplus -- */

#define IB_DEFINE_SOFTPLUS(T, TS)                                             \
    static void IB_FN(nx_softplus_##TS)(int neg, ib_ssize n0, ib_ssize n1,    \
                                        const T *x, ib_ssize sx, T *y,        \
                                        ib_ssize sy)                          \
    {                                                                         \
        double buf[NXB], t[NXB];                                              \
        const double sg = neg ? -1.0 : 1.0; /* log_sigmoid(x) = -sp(-x) */    \
        for (ib_ssize k = n0; k < n1; k += NXB) {                             \
            int n = (int)((n1 - k) < NXB ? (n1 - k) : NXB);                   \
            const double *v = IB_FN(nx_load_##TS)(x + k * sx, sx, n, buf);    \
            IB_FN(nx_softplus_blk)(v, n, sg, t);                              \
            IB_FN(nx_store_##TS)(y + k * sy, sy, t, n);                       \
        }                                                                     \
    }

IB_DEFINE_SOFTPLUS(double, f64)
IB_DEFINE_SOFTPLUS(float, f32)

/* ------------------------------------------------------ binary losses -- */

IB_NOINLINE static void IB_FN(nx_binary_block)(const ib_binary_params *P, int n,
                                   const double *x, const double *y,
                                   const double *w, const double *pw,
                                   int haspw, double *t, double *g,
                                   int want_grad)
{
    if (P->kind == IB_BIN_PROB) {
        IB_FN(nx_bce_prob_blk)(x, y, pw, haspw, n, t, g);
    } else if (P->kind == IB_BIN_LOGITS) {
        IB_FN(nx_bce_logit_blk)(x, y, pw, n, t, g);
    } else {
        IB_FN(nx_focal_blk)(x, y, n, P->gamma, P->alpha, P->alpha >= 0.0, t,
                            g);
    }
    if (w != NULL)
        IB_FN(nx_weight_blk)(w, n, t, g);
    if (want_grad && P->grad_scale != 1.0)
        IB_FN(nx_scale_blk)(P->grad_scale, n, g);
}

#define IB_DEFINE_BINARY_CHUNK(T, TS)                                         \
    static double IB_FN(nx_binary_chunk_##TS)(                                \
        const ib_binary_params *P, ib_ssize C, ib_ssize f0, ib_ssize f1,      \
        const T *x, const ib_ssize *sx, const T *y, const ib_ssize *sy,       \
        const T *w, const ib_ssize *sw, const T *pw, const ib_ssize *spw,     \
        T *loss, T *grad)                                                     \
    {                                                                         \
        double bx[NXB], by[NXB], bw[NXB], bp[NXB], t[NXB], g[NXB];            \
        double ones[NXB];                                                     \
        double bs[IB_NX_CHUNK_BLOCKS];                                        \
        int nb = 0;                                                           \
        if (pw == NULL)                                                       \
            for (int i = 0; i < NXB; i++)                                     \
                ones[i] = 1.0;                                                \
        for (ib_ssize f = f0; f < f1; f += NXB) {                             \
            int n = (int)((f1 - f) < NXB ? (f1 - f) : NXB);                   \
            const double *px = IB_FN(nx_gather_##TS)(x, sx, C, f, n, bx);     \
            const double *py = IB_FN(nx_gather_##TS)(y, sy, C, f, n, by);     \
            const double *pww = w ? IB_FN(nx_gather_##TS)(w, sw, C, f, n, bw) \
                                  : NULL;                                     \
            const double *ppw = pw ? IB_FN(nx_gather_##TS)(pw, spw, C, f, n,  \
                                                           bp)                \
                                   : ones;                                    \
            IB_FN(nx_binary_block)(P, n, px, py, pww, ppw, pw != NULL, t, g,  \
                                   grad != NULL);                             \
            if (loss != NULL)                                                 \
                IB_FN(nx_store_##TS)(loss + f, 1, t, n);                      \
            if (grad != NULL)                                                 \
                IB_FN(nx_store_##TS)(grad + f, 1, g, n);                      \
            bs[nb++] = ib_lanes_sum8(t, n);                                  \
        }                                                                     \
        return ib_pairwise_sum(bs, nb);                                       \
    }

IB_DEFINE_BINARY_CHUNK(double, f64)
IB_DEFINE_BINARY_CHUNK(float, f32)

#undef IB_DEFINE_LOAD
#undef IB_DEFINE_LSE_CHUNK
#undef IB_DEFINE_SOFTMAX_ROW
#undef IB_DEFINE_SOFTPLUS
#undef IB_DEFINE_SMALL
#undef IB_DEFINE_BINARY_CHUNK
#undef NXB
