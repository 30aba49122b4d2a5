/* Element-type parts of the reduction kernels, once per SIMD path
 * (IB_SFX, ib_per_path.h) and element type (IB_T, IB_TS, IB_F32,
 * ib_per_type.h): the gather into double blocks (float32 is widened here,
 * strides are resolved here), the chunk of one output, and the chunk of
 * a tile of outputs for reductions over an outer axis.  No include guard
 * on purpose; everything here is static. */

/* double operands with unit stride are read in place */
#define IB_RED_DIRECT (!IB_F32)

/* Copy n values of one operand, starting at flat position (r, cc) of output
 * row k, into dst in the element type.  Crosses row boundaries as needed;
 * a unit stride is a plain copy, a zero stride (a broadcast operand such as
 * MI's p_x[:, None]) one value per row. */
static void IB_FN(IB_TNAME(ib_gather_t))(IB_T *restrict dst, const IB_T *base,
                                const ib_ssize *s, ib_ssize C, ib_ssize r,
                                ib_ssize cc, int n)
{
    int i = 0;
    while (i < n) {
        ib_ssize m = C - cc;
        if (m > n - i)
            m = n - i;
        const IB_T *row = base + r * s[1] + cc * s[2];
        const ib_ssize st = s[2];
        if (st == 1) {
            for (ib_ssize j = 0; j < m; j++)
                dst[i + j] = row[j];
        } else if (st == 0) {
            const IB_T v = row[0];
            for (ib_ssize j = 0; j < m; j++)
                dst[i + j] = v;
        } else {
            for (ib_ssize j = 0; j < m; j++)
                dst[i + j] = row[j * st];
        }
        i += (int)m;
        r++;
        cc = 0;
    }
}

/* The same into doubles (n <= IB_BLOCK): float32 values are widened. */
static void IB_FN(IB_TNAME(ib_gather))(double *restrict dst, const IB_T *base,
                              const ib_ssize *s, ib_ssize C, ib_ssize r,
                              ib_ssize cc, int n)
{
#if IB_F32
    IB_T tmp[IB_BLOCK];
    IB_FN(IB_TNAME(ib_gather_t))(tmp, base, s, C, r, cc, n);
    for (int j = 0; j < n; j++)
        dst[j] = (double)tmp[j];
#else
    IB_FN(IB_TNAME(ib_gather_t))(dst, base, s, C, r, cc, n);
#endif
}

/* One chunk: flat positions [f0, f1) of output k, summed (blocks of
 * IB_BLOCK by ib_block, blocks pairwise).  mrow/mcol (NULL unless the
 * caller asked for margins, K == 1) receive the row and column sums of the
 * first operand.  chk and tp: the range check and the term's parameter
 * (ib_block); s[0], s[1]
 * receive the chunk's sums of the first operand and (KL, JS) the second,
 * for the probability-sum check. */
static double IB_FN(IB_TNAME(ib_chunk))(int term, int policy, int chk, const double *tp,
                               ib_ssize k, ib_ssize f0,
                               ib_ssize f1, ib_ssize C, const IB_T *a,
                               const ib_ssize *sa, const IB_T *b,
                               const ib_ssize *sb, const IB_T *c,
                               const ib_ssize *sc, double *nbad, double *mrow,
                               double *mcol, double *s)
{
    double bs[IB_CHUNK_BLOCKS];
    double ga[IB_BLOCK], gb[IB_BLOCK], gc[IB_BLOCK];
    const IB_T *ops[3] = {a, b, c};
    const ib_ssize *st[3] = {sa, sb, sc};
    double *gbuf[3] = {ga, gb, gc};
    double s0 = 0.0, s1 = 0.0;
    int nb = 0;
    int hint = 1;   /* ib_block: the last block was on the fast path */
#if IB_F32
    const float hf = tp[0] < FLT_MAX ? (float)tp[0] : FLT_MAX;
#endif
    for (ib_ssize f = f0; f < f1; f += IB_BLOCK) {
        int n = (int)((f1 - f) < IB_BLOCK ? (f1 - f) : IB_BLOCK);
        ib_ssize r = f / C, cc = f - r * C;
#if IB_F32
        if (term == IB_TERM_ENTR) {     /* single-precision logs */
            const IB_T *base = a + k * sa[0];
            const IB_T *pf = base + r * sa[1] + cc;
            IB_T fb[IB_BLOCK];
            double t[IB_BLOCK];
            if (!(sa[2] == 1 && cc + n <= C)) {
                IB_FN(IB_TNAME(ib_gather_t))(fb, base, sa, C, r, cc, n);
                pf = fb;
            }
            int ok;
            double sx;
            double v = IB_FN(ib_entr32_fast_sum)(pf, n, hf, &ok, &sx);
            if (ok) {
                bs[nb++] = v;
            } else {
                IB_FN(ib_entr32_full)(policy, chk, pf, n, t, nbad);
                bs[nb++] = ib_lanes_sum8(t, n);
                sx = IB_FN(ib_sum_f32)(pf, n);
            }
            s0 += sx;
            if (mrow != NULL) {
                for (int j = 0; j < n; j++)
                    t[j] = (double)pf[j];
                IB_FN(ib_margins_acc)(t, n, r, cc, C, mrow, mcol);
            }
            continue;
        }
#endif
        const double *p[3] = {NULL, NULL, NULL};
        for (int o = 0; o < 3; o++) {
            if (ops[o] == NULL)
                continue;
            const IB_T *base = ops[o] + k * st[o][0];
            if (IB_RED_DIRECT && st[o][2] == 1 && cc + n <= C)
                p[o] = (const double *)(base + r * st[o][1] + cc);
            else {
                IB_FN(IB_TNAME(ib_gather))(gbuf[o], base, st[o], C, r, cc, n);
                p[o] = gbuf[o];
            }
        }
        double bsum[2];
        bs[nb++] = IB_FN(ib_block)(term, policy, chk, tp, p[0], p[1], p[2], n, nbad,
                                   &hint, bsum);
        s0 += bsum[0];
        s1 += bsum[1];
        if (mrow != NULL)
            IB_FN(ib_margins_acc)(p[0], n, r, cc, C, mrow, mcol);
    }
    s[0] = s0;
    s[1] = s1;
    return ib_pairwise_sum(bs, nb);
}

/* Outer-axis chunk: flat positions [f0, f1) of the w <= IB_OUTER_W outputs
 * k0 .. k0 + w - 1, processed a row segment at a time (the w values of one
 * flat position, adjacent in memory when the outputs are the innermost
 * axis).  Each output gets exactly the tree of ib_chunk: within a block of
 * IB_BLOCK positions, position i adds to lane i mod 8 (a row of w lane
 * accumulators per lane), the lanes combine by ib_lanes_total8's tree, and
 * the chunk's blocks pairwise; the terms are ib_block's (fast path where a
 * segment allows, the same bits as the full path there).  So every output
 * is bitwise the value the inner-axis path gives for it.  part[j] receives
 * output k0 + j's chunk sum, part[IB_OUTER_W + j] and part[2 IB_OUTER_W
 * + j] its sums of the first and (KL, JS) second operand (the
 * probability-sum check, accumulated per row segment). */
static void IB_FN(IB_TNAME(ib_outer_chunk))(int term, int policy, int chk, const double *tp,
                                   ib_ssize k0, int w,
                                   ib_ssize f0, ib_ssize f1, ib_ssize C,
                                   const IB_T *a, const ib_ssize *sa,
                                   const IB_T *b, const ib_ssize *sb,
                                   const IB_T *c, const ib_ssize *sc,
                                   double *nbad, double *part)
{
    double acc[8 * IB_OUTER_W];
    double bs[IB_CHUNK_BLOCKS * IB_OUTER_W];
    double buf[3][IB_OUTER_W];
    double t[IB_OUTER_W];
    double *sx = part + IB_OUTER_W, *sy = part + 2 * IB_OUTER_W;
    const IB_T *ops[3] = {a, b, c};
    const ib_ssize *st[3] = {sa, sb, sc};
    int nb = 0;
#if IB_F32
    const float hf = tp[0] < FLT_MAX ? (float)tp[0] : FLT_MAX;
#endif
    for (int j = 0; j < w; j++)
        sx[j] = sy[j] = 0.0;
    for (ib_ssize f = f0; f < f1; f += IB_BLOCK) {
        int n = (int)((f1 - f) < IB_BLOCK ? (f1 - f) : IB_BLOCK);
        ib_ssize r = f / C, cc = f - r * C;
        for (int i = 0; i < 8 * IB_OUTER_W; i++)
            acc[i] = 0.0;
        ib_ssize rp = r, cp = cc;   /* position IB_OUTER_AHEAD rows ahead */
        for (int d = 0; d < IB_OUTER_AHEAD; d++)
            if (++cp == C) {
                cp = 0;
                rp++;
            }
        for (int i = 0; i < n; i++) {
            /* Each row segment is a new stream in a new page, which the
             * hardware prefetchers do not start early enough: fetch the
             * segment of the position IB_OUTER_AHEAD ahead. */
            if (f + i + IB_OUTER_AHEAD < f1) {
                for (int o = 0; o < 3; o++) {
                    if (ops[o] == NULL || st[o][0] != 1)
                        continue;
                    const char *q = (const char *)(ops[o] + k0 + rp * st[o][1]
                                                   + cp * st[o][2]);
                    for (int j = 0; j < w * (int)sizeof(IB_T); j += 64)
                        IB_PREFETCH(q + j);
                }
            }
            if (++cp == C) {
                cp = 0;
                rp++;
            }
#if IB_F32
            if (term == IB_TERM_ENTR) {     /* single-precision logs */
                const ib_ssize s0 = sa[0];
                const IB_T *row = a + k0 * s0 + r * sa[1] + cc * sa[2];
                const IB_T *pf = row;
                IB_T fb[IB_OUTER_W];
                if (s0 != 1) {
                    for (int j = 0; j < w; j++)
                        fb[j] = row[j * s0];
                    pf = fb;
                }
                IB_FN(ib_entr32_terms)(policy, chk, hf, pf, w, t, nbad, sx);
                IB_FN(ib_outer_acc)(acc + (i & 7) * IB_OUTER_W, t, w);
                if (++cc == C) {
                    cc = 0;
                    r++;
                }
                continue;
            }
#endif
            const double *p[3] = {NULL, NULL, NULL};
            for (int o = 0; o < 3; o++) {
                if (ops[o] == NULL)
                    continue;
                const ib_ssize s0 = st[o][0];
                const IB_T *row = ops[o] + k0 * s0 + r * st[o][1] + cc * st[o][2];
                if (IB_RED_DIRECT && s0 == 1) {
                    p[o] = (const double *)row;
                } else {
                    for (int j = 0; j < w; j++)
                        buf[o][j] = (double)row[j * s0];
                    p[o] = buf[o];
                }
            }
            IB_FN(ib_terms)(term, policy, chk, tp, p[0], p[1], p[2], w, t, nbad, sx, sy);
            IB_FN(ib_outer_acc)(acc + (i & 7) * IB_OUTER_W, t, w);
            if (++cc == C) {
                cc = 0;
                r++;
            }
        }
        IB_FN(ib_outer_total)(acc, bs + nb * IB_OUTER_W, w);
        nb++;
    }
    for (int j = 0; j < w; j++)
        part[j] = ib_pairwise_sum_strided(bs + j, nb, IB_OUTER_W);
}

#undef IB_RED_DIRECT
