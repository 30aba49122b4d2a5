/* Body of the loss kernels, compiled once per SIMD path and element type.
 * Included by ib_losses.c through ib_per_path.h and ib_per_type.h, with
 * IB_SFX (_base, _v3, _v4), IB_T (double, float), IB_TS (f64, f32) and IB_F32
 * defined; no include guard on purpose.  Everything
 * here is static.
 *
 * Row conventions (all in nats, before the gradient scale gscale):
 *   target weights  u_k = w_k * t_k, t = (1 - eps) * onehot(c) + eps / K
 *                   (labels) or t = (1 - eps) * y + eps / K (soft targets);
 *   loss            -sum_k u_k log q_k, a term with u_k == 0 counting 0
 *                   even where log q_k = -inf;
 *   from logits     log q_k = z_k - log S, z = x - max, S = sum exp(z);
 *                   gradient (sum_k u_k) softmax - u;
 *   from probs      gradient -u_k / q_k (0 where u_k == 0).
 */


#ifndef IB_LBLK
/* Columns per block; a multiple of 8 (the lanes).  256 as IB_NX_BLOCK:
 * the row's exps, shifted logits and target weights stay in L1. */
#define IB_LBLK 256
#endif


static inline double IB_FN(IB_TNAME(ib_l_rowmax))(const IB_T *restrict x, ib_ssize K)
{
    IB_T m = (IB_T)-INFINITY;
#pragma omp simd reduction(max : m)
    for (ib_ssize k = 0; k < K; k++)
        m = x[k] > m ? x[k] : m;
    return (double)m;
}

/* Shifted logits z = x - m (z may be NULL when not needed) and e = exp(z)
 * for one block.  With a +inf maximum (sel != 0) z is 0 at the +inf entries
 * and -inf elsewhere; for a finite maximum x - m is already 0 at x == m, so
 * the common path needs no select. */
IB_NOINLINE static void IB_FN(IB_TNAME(ib_l_expblk))(const IB_T *restrict x, int n,
                                       double m, int sel,
                                       double *restrict z,
                                       double *restrict e)
{
    /* One exp per loop, no control flow inside: gcc 12 does not vectorise
     * the table-driven ib_exp_f64 otherwise. */
    if (sel) {
        double zt[IB_LBLK];
        double *restrict zb = z ? z : zt;
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double xi = (double)x[i];
            zb[i] = (xi == m) ? 0.0 : xi - m;
        }
#pragma omp simd
        for (int i = 0; i < n; i++)
            e[i] = ib_exp_f64(zb[i]);
    } else if (z) {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double zi = (double)x[i] - m;
            z[i] = zi;
            e[i] = ib_exp_f64(zi);
        }
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            e[i] = ib_exp_f64((double)x[i] - m);
    }
}

#if !IB_F32
/* ib_l_expblk_sc(x, n, m, e): e = exp(x - m) * 2^512 for a finite row max
 * m (ib_exp16_scaled_f64, x - m <= 0 or NaN; on the x86-64-v4 path with
 * in-register table permutes instead of gathers): the sum of
 * such terms is the row's sum times 2^512 exactly (terms below 2^-1022
 * kept to full precision), and so is each term, so that the factor cancels
 * in the gradient's e / S. */
#define IB_VEXP16_NAME IB_FN(IB_TNAME(ib_l_expblk_sc))
#include "ib_numerics_vexp.h"
#endif

#if IB_F32
/* Single-precision exp block for float32 rows: e = exp(x - m) with
 * ib_exp_diff_f32 (the difference taken exactly), 8 lanes per AVX2 vector
 * where ib_exp_f64 on widened values runs 4.  The sums over e are taken in
 * double (ib_l_accs).  With a +inf maximum (sel != 0) z is 0 at the +inf
 * entries and -inf elsewhere. */
IB_NOINLINE static void IB_FN(IB_TNAME(ib_l_expblk_s))(const float *restrict x, int n,
                                           float m, int sel,
                                           float *restrict e)
{
    if (sel) {
        float zt[IB_LBLK];
#pragma omp simd
        for (int i = 0; i < n; i++)
            zt[i] = (x[i] == m) ? 0.0f : x[i] - m;
#pragma omp simd
        for (int i = 0; i < n; i++)
            e[i] = ib_exp_f32(zt[i]);
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            e[i] = ib_exp_diff_f32(x[i], m);
    }
}

/* Shifted logits in double, z = x - m (exact for all but extreme ranges),
 * for the smoothing and soft-target sums. */
static inline void IB_FN(IB_TNAME(ib_l_zblk))(const float *restrict x, int n,
                                     double m, int sel, double *restrict z)
{
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double xi = (double)x[i];
        z[i] = (sel && xi == m) ? 0.0 : xi - m;
    }
}

/* acc[j] += (double)v[i] for i = j mod 8: the order of ib_lanes_acc8, so
 * the sum is the same on every SIMD path.  Not inlined, the group
 * addressed through a pointer and an "omp simd" inner loop: so gcc
 * vectorises it (a plain inline loop ran scalar, a quarter of the row's
 * time). */
IB_NOINLINE static void IB_FN(IB_TNAME(ib_l_accs))(double *restrict acc,
                                          const float *restrict v, int n)
{
    double a[8];
    for (int j = 0; j < 8; j++)
        a[j] = acc[j];
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const float *restrict g = v + i;
#pragma omp simd
        for (int j = 0; j < 8; j++)
            a[j] += (double)g[j];
    }
    for (int j = 0; i < n; i++, j++)
        a[j] += (double)v[i];
    for (int j = 0; j < 8; j++)
        acc[j] = a[j];
}
#endif

static inline void IB_FN(IB_TNAME(ib_l_fill))(IB_T *restrict g, ib_ssize K, double v)
{
#pragma omp simd
    for (ib_ssize k = 0; k < K; k++)
        g[k] = (IB_T)v;
}

static inline void IB_FN(IB_TNAME(ib_l_store))(IB_T *restrict g,
                                      const double *restrict e, int n)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        g[i] = (IB_T)e[i];
}

/* Cross-entropy from logits, class label c (t == NULL) or soft targets t. */
static double IB_FN(IB_TNAME(ib_ce_logits))(const ib_loss_args *A,
                                   const IB_T *restrict x, ib_ssize c,
                                   const IB_T *restrict t, IB_T *restrict g)
{
    const ib_ssize K = A->K;
    const double *restrict w = A->w;
    const double eps = A->eps, gs = A->gscale;
    const double keep = 1.0 - eps, epsK = eps / (double)K;
    double m = IB_FN(IB_TNAME(ib_l_rowmax))(x, K);
    if (m == -INFINITY) {   /* all -inf (or NaN): softmax undefined */
        if (g)
            IB_FN(IB_TNAME(ib_l_fill))(g, K, NAN);
        return NAN;
    }
    double accS[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double accA[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double accB[8] = {0, 0, 0, 0, 0, 0, 0, 0};
#if IB_F32
    double z[IB_LBLK], u[IB_LBLK];
    float es[IB_LBLK];
#else
    double z[IB_LBLK], e[IB_LBLK], u[IB_LBLK];
#endif
    const int sel = (m == INFINITY);
    double *zp = (t != NULL || eps != 0.0) ? z : NULL;
    /* float64 with labels, no smoothing: exps scaled by 2^512 (the sum
     * and the gradient row alike; S below is the unscaled sum) */
    const int scaled = !IB_F32 && !sel && zp == NULL;
    for (ib_ssize k0 = 0; k0 < K; k0 += IB_LBLK) {
        const int n = (int)(K - k0 < IB_LBLK ? K - k0 : IB_LBLK);
#if IB_F32
        /* exp straight into the gradient row when there is one */
        float *restrict eb = g ? g + k0 : es;
        IB_FN(IB_TNAME(ib_l_expblk_s))(x + k0, n, (float)m, sel, eb);
        IB_FN(IB_TNAME(ib_l_accs))(accS, eb, n);
        if (zp)
            IB_FN(IB_TNAME(ib_l_zblk))(x + k0, n, m, sel, zp);
#else
        if (scaled) {
            /* scaled exps, straight into the gradient row when there is
             * one */
            double *restrict eb = g ? g + k0 : e;
            IB_FN(IB_TNAME(ib_l_expblk_sc))(x + k0, n, m, eb, accS, 0);
        } else {
            IB_FN(IB_TNAME(ib_l_expblk))(x + k0, n, m, sel, zp, e);
            ib_lanes_acc8(accS, e, n);
            if (g)
                IB_FN(IB_TNAME(ib_l_store))(g + k0, e, n);
        }
#endif
        if (t == NULL) {
            if (eps != 0.0) {
                if (w) {
                    const double *restrict wb = w + k0;
#pragma omp simd
                    for (int i = 0; i < n; i++)
                        u[i] = (wb[i] == 0.0) ? 0.0 : wb[i] * z[i];
                    ib_lanes_acc8(accA, u, n);
                } else {
                    ib_lanes_acc8(accA, z, n);
                }
            }
        } else {
            const IB_T *restrict tb = t + k0;
            const double *restrict wb = w ? w + k0 : NULL;
#pragma omp simd
            for (int i = 0; i < n; i++) {
                double ti = keep * (double)tb[i] + epsK;
                double ui = wb ? wb[i] * ti : ti;
                u[i] = ui;
                z[i] = (ui == 0.0) ? 0.0 : ui * z[i];
            }
            ib_lanes_acc8(accA, u, n);
            ib_lanes_acc8(accB, z, n);
        }
    }
    const double Sg = ib_lanes_total8(accS);   /* in the scale of g */
    /* (scaled: Sg >= 2^512, the max entry's term, so this is exact) */
    const double S = scaled ? Sg * IB_VM_TWOM512_ : Sg;
    const double logS = ib_log_f64(S);
    double loss, Sw, zc = 0.0, wc = 1.0;
    if (t == NULL) {
        double xc = (double)x[c];
        zc = (xc == m) ? 0.0 : xc - m;
        wc = w ? w[c] : 1.0;
        double a = keep * wc;
        loss = (a == 0.0) ? 0.0 : a * (logS - zc);
        if (eps != 0.0)
            loss += epsK * (A->wsum * logS - ib_lanes_total8(accA));
        Sw = a + epsK * A->wsum;
    } else {
        Sw = ib_lanes_total8(accA);
        loss = Sw * logS - ib_lanes_total8(accB);
    }
    if (g) {
        const double a = gs * Sw / Sg;
        if (t == NULL) {
            const double b = gs * epsK;
            if (w) {
#pragma omp simd
                for (ib_ssize k = 0; k < K; k++)
                    g[k] = (IB_T)(a * (double)g[k] - b * w[k]);
            } else if (b != 0.0) {
#pragma omp simd
                for (ib_ssize k = 0; k < K; k++)
                    g[k] = (IB_T)(a * (double)g[k] - b);
            } else {
                /* no smoothing: the same bits without the "- 0.0" */
#pragma omp simd
                for (ib_ssize k = 0; k < K; k++)
                    g[k] = (IB_T)(a * (double)g[k]);
            }
            /* the label entry from the unrounded exp */
            g[c] = (IB_T)(gs * Sw / S * ib_exp_f64(zc)
                          - gs * wc * (keep + epsK));
        } else {
#pragma omp simd
            for (ib_ssize k = 0; k < K; k++) {
                double tk = keep * (double)t[k] + epsK;
                double uk = w ? w[k] * tk : tk;
                g[k] = (IB_T)(a * (double)g[k] - gs * uk);
            }
        }
    }
    return loss;
}

/* Cross-entropy from probabilities (no clamping: log 0 = -inf). */
static double IB_FN(IB_TNAME(ib_ce_probs))(const ib_loss_args *A,
                                  const IB_T *restrict x, ib_ssize c,
                                  const IB_T *restrict t, IB_T *restrict g)
{
    const ib_ssize K = A->K;
    const double *restrict w = A->w;
    const double eps = A->eps, gs = A->gscale;
    const double keep = 1.0 - eps, epsK = eps / (double)K;
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double u[IB_LBLK];
    if (t == NULL) {
        const double wc = w ? w[c] : 1.0;
        const double pc = (double)x[c];
        const double a = keep * wc;
        double loss = (a == 0.0) ? 0.0 : -a * ib_log_f64(pc);
        if (eps != 0.0) {
            for (ib_ssize k0 = 0; k0 < K; k0 += IB_LBLK) {
                const int n = (int)(K - k0 < IB_LBLK ? K - k0 : IB_LBLK);
                const IB_T *restrict xb = x + k0;
                if (w) {
                    const double *restrict wb = w + k0;
#pragma omp simd
                    for (int i = 0; i < n; i++) {
                        double l = ib_log_f64((double)xb[i]);
                        u[i] = (wb[i] == 0.0) ? 0.0 : wb[i] * l;
                    }
                } else {
#pragma omp simd
                    for (int i = 0; i < n; i++)
                        u[i] = ib_log_f64((double)xb[i]);
                }
                ib_lanes_acc8(acc, u, n);
            }
            loss -= epsK * ib_lanes_total8(acc);
        }
        if (g) {
            if (eps == 0.0) {
                IB_FN(IB_TNAME(ib_l_fill))(g, K, 0.0);
            } else {
                const double b = -gs * epsK;
#pragma omp simd
                for (ib_ssize k = 0; k < K; k++) {
                    double wk = w ? w[k] : 1.0;
                    g[k] = (IB_T)((wk == 0.0) ? 0.0 : b * wk / (double)x[k]);
                }
            }
            const double uc = wc * (keep + epsK);
            g[c] = (IB_T)((uc == 0.0) ? 0.0 : -gs * uc / pc);
        }
        return loss;
    }
    for (ib_ssize k0 = 0; k0 < K; k0 += IB_LBLK) {
        const int n = (int)(K - k0 < IB_LBLK ? K - k0 : IB_LBLK);
        const IB_T *restrict xb = x + k0;
        const IB_T *restrict tb = t + k0;
        const double *restrict wb = w ? w + k0 : NULL;
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double ti = keep * (double)tb[i] + epsK;
            double ui = wb ? wb[i] * ti : ti;
            double l = ib_log_f64((double)xb[i]);
            u[i] = (ui == 0.0) ? 0.0 : ui * l;
        }
        ib_lanes_acc8(acc, u, n);
        if (g) {
            IB_T *restrict gb = g + k0;
#pragma omp simd
            for (int i = 0; i < n; i++) {
                double ti = keep * (double)tb[i] + epsK;
                double ui = wb ? wb[i] * ti : ti;
                gb[i] = (IB_T)((ui == 0.0) ? 0.0 : -gs * ui / (double)xb[i]);
            }
        }
    }
    return -ib_lanes_total8(acc);
}

/* Negative log-likelihood of log-probabilities: -w_c x_c. */
static double IB_FN(IB_TNAME(ib_nll_row))(const ib_loss_args *A,
                                 const IB_T *restrict x, ib_ssize c,
                                 IB_T *restrict g)
{
    const double wc = A->w ? A->w[c] : 1.0;
    if (g) {
        IB_FN(IB_TNAME(ib_l_fill))(g, A->K, 0.0);
        g[c] = (IB_T)(-A->gscale * wc);
    }
    return (wc == 0.0) ? 0.0 : -wc * (double)x[c];
}

/* Softmax focal loss -alpha_c (1 - p_c)^gamma log p_c and its gradient. */
static double IB_FN(IB_TNAME(ib_focal_row))(const ib_loss_args *A,
                                   const IB_T *restrict x, ib_ssize c,
                                   IB_T *restrict g)
{
    const ib_ssize K = A->K;
    const double gamma = A->gamma, gs = A->gscale;
    const double al = A->alpha_v ? A->alpha_v[c] : A->alpha;
    double lp, p, q, S = 1.0;
    if (A->mode == IB_IN_LOGITS) {
        double m = IB_FN(IB_TNAME(ib_l_rowmax))(x, K);
        if (m == -INFINITY) {
            if (g)
                IB_FN(IB_TNAME(ib_l_fill))(g, K, NAN);
            return NAN;
        }
        double accS[8] = {0, 0, 0, 0, 0, 0, 0, 0};
#if IB_F32
        float e[IB_LBLK];
#else
        double e[IB_LBLK];
#endif
        const int sel = (m == INFINITY);
        for (ib_ssize k0 = 0; k0 < K; k0 += IB_LBLK) {
            const int n = (int)(K - k0 < IB_LBLK ? K - k0 : IB_LBLK);
#if IB_F32
            float *restrict eb = g ? g + k0 : e;
            IB_FN(IB_TNAME(ib_l_expblk_s))(x + k0, n, (float)m, sel, eb);
            IB_FN(IB_TNAME(ib_l_accs))(accS, eb, n);
#else
            IB_FN(IB_TNAME(ib_l_expblk))(x + k0, n, m, sel, NULL, e);
            ib_lanes_acc8(accS, e, n);
            if (g)
                IB_FN(IB_TNAME(ib_l_store))(g + k0, e, n);
#endif
        }
        S = ib_lanes_total8(accS);
        double xc = (double)x[c];
        double zc = (xc == m) ? 0.0 : xc - m;
        lp = zc - ib_log_f64(S);
        p = ib_exp_f64(lp);
        q = -expm1(lp);           /* 1 - p without cancellation */
    } else {
        p = (double)x[c];
        lp = ib_log_f64(p);
        q = 1.0 - p;
    }
    const double qg = (gamma == 0.0) ? 1.0 : pow(q, gamma);
    const double loss = (al == 0.0) ? 0.0 : -al * qg * lp;
    if (g) {
        if (A->mode == IB_IN_LOGITS) {
            /* dL/dx_j = G ([j == c] - softmax_j),
             * G = alpha (gamma p q^(gamma-1) log p - q^gamma). */
            double h = (gamma == 0.0 || q == 0.0 || p == 0.0)
                           ? 0.0 : gamma * p * pow(q, gamma - 1.0) * lp;
            double G = (al == 0.0) ? 0.0 : al * (h - qg);
            double cf = -gs * G / S;
#pragma omp simd
            for (ib_ssize k = 0; k < K; k++)
                g[k] = (IB_T)(cf * (double)g[k]);
            g[c] = (IB_T)(gs * G * q);
        } else {
            /* dL/dp_c = alpha (gamma q^(gamma-1) log p - q^gamma / p). */
            double h = (gamma == 0.0 || q == 0.0)
                           ? 0.0 : gamma * pow(q, gamma - 1.0) * lp;
            IB_FN(IB_TNAME(ib_l_fill))(g, K, 0.0);
            g[c] = (IB_T)((al == 0.0) ? 0.0 : gs * al * (h - qg / p));
        }
    }
    return loss;
}

/* Cross-entropy from probabilities with class labels, no smoothing and no
 * gradient: only the labelled entry of each row is read, -w_c log x_c.
 * The labelled entries of the rows [i0, i1) (at most IB_LOSS_ROWS) are
 * gathered first and their logs taken in one vector loop; the row losses
 * are those of ib_ce_probs, bit for bit. */
static ib_ssize IB_FN(IB_TNAME(ib_ce_probs_label_chunk))(const ib_loss_args *A,
                                                ib_ssize i0, ib_ssize i1,
                                                double *rl)
{
    const IB_T *X = (const IB_T *)A->x;
    const int64_t *y = A->y;
    const double *w = A->w;
    const int64_t K = (int64_t)A->K;
    const int n = (int)(i1 - i0);
    double pc[IB_LOSS_ROWS], a[IB_LOSS_ROWS], lg[IB_LOSS_ROWS];
    ib_ssize bad = -1;
    for (int j = 0; j < n; j++) {
        const int64_t lab = y[i0 + j];
        if ((A->has_ignore && lab == A->ignore) || lab < 0 || lab >= K) {
            if (bad < 0 && !(A->has_ignore && lab == A->ignore))
                bad = i0 + j;
            pc[j] = 1.0;     /* any value: a = 0 makes the row loss 0 */
            a[j] = 0.0;
        } else {
            pc[j] = (double)X[(i0 + j) * A->ldx + lab];
            a[j] = w ? w[lab] : 1.0;
            if ((pc[j] < 0.0 || pc[j] > 1.0) && bad < 0)
                bad = i0 + j;   /* told apart from a bad label by the caller */
        }
    }
#pragma omp simd
    for (int j = 0; j < n; j++)
        lg[j] = ib_log_f64(pc[j]);
#pragma omp simd
    for (int j = 0; j < n; j++)
        rl[j] = (a[j] == 0.0) ? 0.0 : -a[j] * lg[j];
    return bad;
}

/* Rows [i0, i1): per-row losses into rl[0 .. i1-i0), gradients into A->g.
 * Returns the first row with an invalid label in the range, or -1. */
static ib_ssize IB_FN(IB_TNAME(ib_loss_chunk))(const ib_loss_args *A, ib_ssize i0,
                                      ib_ssize i1, double *rl)
{
    const IB_T *X = (const IB_T *)A->x;
    const IB_T *Tg = (const IB_T *)A->t;
    IB_T *G = (IB_T *)A->g;
    const ib_ssize K = A->K;
    ib_ssize bad = -1;
    for (ib_ssize i = i0; i < i1; i++) {
        const IB_T *x = X + i * A->ldx;
        const IB_T *t = Tg ? Tg + i * A->ldt : NULL;
        IB_T *g = G ? G + i * A->ldg : NULL;
        ib_ssize c = 0;
        double v;
        if (A->y) {
            const int64_t lab = A->y[i];
            if (A->has_ignore && lab == A->ignore) {
                rl[i - i0] = 0.0;
                if (g)
                    IB_FN(IB_TNAME(ib_l_fill))(g, K, 0.0);
                continue;
            }
            if (lab < 0 || lab >= (int64_t)K) {
                if (bad < 0)
                    bad = i;
                rl[i - i0] = 0.0;
                if (g)
                    IB_FN(IB_TNAME(ib_l_fill))(g, K, 0.0);
                continue;
            }
            c = (ib_ssize)lab;
        } else if (K == 0) {
            rl[i - i0] = 0.0;   /* soft targets over no classes: no terms */
            continue;
        }
        switch (A->kind) {
        case IB_LOSS_NLL:
            v = IB_FN(IB_TNAME(ib_nll_row))(A, x, c, g);
            break;
        case IB_LOSS_FOCAL:
            v = IB_FN(IB_TNAME(ib_focal_row))(A, x, c, g);
            break;
        case IB_LOSS_CE:
        default:
            if (A->mode == IB_IN_LOGITS)
                v = IB_FN(IB_TNAME(ib_ce_logits))(A, x, c, t, g);
            else
                v = IB_FN(IB_TNAME(ib_ce_probs))(A, x, c, t, g);
            break;
        }
        rl[i - i0] = v;
    }
    return bad;
}

