/* Body of the numerics kernels, compiled once per SIMD path: the block
 * loops on double buffers here, then the per-element-type parts
 * (ib_numerics_typed.h, through ib_per_type.h).  Included by ib_numerics.c
 * through ib_per_path.h with IB_SFX defined (_base, _v3, _v4); no include
 * guard on purpose.  Everything here is static.  Hot loops call only the
 * ib_vmath.h functions (ib_exp_f64, ib_log_f64, ib_log1p_f64), so they
 * vectorise once those are branch-free. */

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

/* nx_vexp16(x, n, M, y): y = exp(x - M) * 2^512 (ib_exp16_scaled_f64;
 * on the x86-64-v4 path with in-register table permutes) */
#define IB_VEXP16_NAME IB_FN(nx_vexp16)
#include "ib_numerics_vexp.h"

/* Sum of exp(x - M) for a block whose entries are all below M (or NaN):
 * the terms are taken as exp(x - M) * 2^512 (ib_exp16_scaled_f64, valid
 * for the non-positive x - M), summed in the 8 lanes of ib_lanes_sum8,
 * the sum scaled back once: terms below 2^-1022 are kept to full
 * precision.  Also called before the block max is known (see
 * nx_lse_chunk): entries above M then give garbage, which the caller
 * discards. */
IB_NOINLINE static double IB_FN(nx_lse_blk_below)(const double *restrict x, int n,
                                      double M)
{
    double e[NXB], acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    IB_FN(nx_vexp16)(x, n, M, e, acc, 0);
    return ib_lanes_total8(acc) * IB_VM_TWOM512_;
}

/* ib_vexp16_scaled_f64 (test hook): nx_vexp16 with M = 0, in blocks. */
IB_NOINLINE static void IB_FN(nx_vexp16_hook)(const double *x, double *y,
                                              ib_ssize n)
{
    double acc[8];
    for (ib_ssize k = 0; k < n; k += NXB)
        IB_FN(nx_vexp16)(x + k, (int)(n - k < NXB ? n - k : NXB), 0.0, y + k,
                         acc, 0);
}

/* ib_vexp_scaled_f64 (test hook): ib_exp_scaled_f64 alone. */
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

/* Softmax block: e = exp(x - M) * 2^512 (ib_exp_scaled_f64: M is the
 * row max, so x - M <= 0 or NaN; 7 operations of 47 fewer than
 * ib_exp_f64) and the sum of the block's e in the 8 lanes of
 * ib_lanes_sum8.  The factor 2^512 cancels in e / S (terms below 2^-1022
 * keep full precision, terms of x - M < -1000 are 0, as exp rounds them
 * after the division).  No entries are kept apart: softmax needs S only
 * to relative precision, unlike log S (nx_lsm_blk). */
IB_NOINLINE static double IB_FN(nx_smexp)(const double *restrict x, int n,
                                          double M, double *restrict e)
{
    double acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    IB_FN(nx_vexp16)(x, n, M, e, acc, 0);
    return ib_lanes_total8(acc);
}

/* log_softmax block (and logsumexp's block holding the running max): *s
 * = sum of exp(x - M) over the entries != M, *c = the count of entries
 * == M (M the row max, finite), the terms by ib_exp16_scaled_f64 summed in
 * the 8 lanes as they are made (nx_vexp16 with its mask: the entries
 * equal to M count 0), the sum scaled back once. */
IB_NOINLINE static void IB_FN(nx_lsm_blk)(const double *restrict x, int n,
                                          double M, double *s, double *c)
{
    double e[NXB], acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    *c = (double)IB_FN(nx_vexp16)(x, n, M, e, acc, 1);
    *s = ib_lanes_total8(acc) * IB_VM_TWOM512_;
}

/* t = e * r, r = 1/S: one multiplication per entry instead of a division
 * (vdivpd is 4x slower than vmulpd on Zen 4); the rounding of r adds at
 * most 2^-53 relative. */
IB_NOINLINE static void IB_FN(nx_mul)(const double *restrict e, int n, double r,
                          double *restrict t)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = e[i] * r;
}

IB_NOINLINE static void IB_FN(nx_mul_inplace)(double *restrict e, int n,
                                               double r)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        e[i] = e[i] * r;
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

/* The element-type-specific parts (loading float32/float64 strided data
 * into double blocks, the chunk and row drivers), once per element type. */
#define IB_TYPE_BODY "ib_numerics_typed.h"
#include "ib_per_type.h"
#undef IB_TYPE_BODY

#undef NXB
