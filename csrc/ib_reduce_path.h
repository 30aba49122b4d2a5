/* Body of the reduction kernels, compiled once per SIMD path: the term
 * functions of the term table (ib_reduce_terms.h) and the block loops.
 * Included by ib_reduce.c through ib_per_path.h (IB_SFX = _base, _v3, _v4); the
 * element-type parts (ib_reduce_typed.h) through ib_per_type.h at the end.
 * No include guard on purpose.  Everything here is static. */

#ifndef IB_RED_IS_V3
/* 1 on the x86-64-v3 and -v4 paths: two-products by fma (the same bits as
 * Dekker) */
#define IB_RED_V3_base 0
#define IB_RED_V3_v3 1
#define IB_RED_V3_v4 1
#define IB_RED_IS_V3 IB_FN(IB_RED_V3)
/* x in [lo, hi], or x == 0 when zero_ok (ib_scan_ok's test) */
#define IB_IN_(x, lo, hi, zero_ok) \
    ((((x) >= (lo)) & ((x) <= (hi))) | ((zero_ok) & ((x) == 0.0)))
#endif

/* Terms.  KL, MI and JS are p log(p / d) for a denominator d (q, p_x p_y,
 * or m = (p + q)/2).  The naive formula p * log(p / d) is wrong in two
 * ways: when p/d leaves the normal range (its digits are lost to gradual
 * underflow, or it is 0 or inf although the term is finite), and when
 * p ~ d (the rounding of p/d swamps log(p/d)).  Every term is therefore
 * computed by ib_log_ratio_f64 (ib_vmath.h): log(x / (w + l)) with the
 * difference of nearly equal operands taken exactly, the denominator given
 * as an unevaluated sum w + l that is exact:
 *   KL   x = p,  w = q,           l = 0
 *   MI   x = p,  w = fl(px py),   l = px py - w  (two-product: one fma on
 *                                 the x86-64-v3 path, Dekker's product on
 *                                 the baseline path, the same bits)
 *   JS   x = 2p (and 2q), w + l = p + q  (TwoSum)
 *
 * Fast path.  Most blocks hold only valid, "ordinary" operands: zeros and
 * positive normal values far from the ends of the double range.  For those
 * r = x / w is a positive normal double and every product above is exact,
 * so ib_log_ratio_f64 applies directly, and no NaN can arise (so the
 * nan_policy does not matter).  A block is checked (comparisons, folded
 * into the summing loop: ib_block_fast), and falls back to the full path
 * otherwise.
 *
 * Operand ranges of the fast path:
 *   entropy  p in {0} u [2^-1022, DBL_MAX]
 *   KL       p in {0} u [2^-511, 2^511], q in [2^-511, 2^511]
 *            (p/q in [2^-1022, 2^1022])
 *   MI       p in {0} u [2^-340, 2^340], px, py in [2^-340, 2^340]
 *            (px py >= 2^-680, its exact error >= 2^-786: normal)
 *   JS       p, q in {0} u [2^-500, 2^500]
 *            (2p/(p+q) in [2^-1000, 2]; every TwoSum error, scaled by
 *            2^-500..2^501, stays exact)
 * A zero p gives the term +0 (a select), and a lane sum starting at +0
 * adds +0 exactly like the full path's +0.
 *
 * Full path.  Each positive finite operand is split into m 2^e, m in
 * [1, 2) (ib_vm_frexp1_, subnormals included), and the ratio is taken of
 * the mantissas with the exponents passed as koff: no value can overflow
 * or underflow, so the term is right over the whole double range (finite
 * terms to a few ulps, terms beyond DBL_MAX as +-inf).  Zeros,
 * infinities, NaN and sign mismatches keep the naive formula's value
 * (p log(p/d) with IEEE rules), which the NaN policies then treat as
 * before.  By the scale invariance of ib_log_ratio_f64, the full path
 * gives bitwise the fast path's terms on the fast path's domain. */

#if IB_RED_IS_V3
#define IB_TWO_PROD_LO(a, b, p) ib_two_prod_lo_fma_f64(a, b, p)
#else
#define IB_TWO_PROD_LO(a, b, p) ib_two_prod_lo_f64(a, b, p)
#endif

#ifndef IB_REDUCE_TERMS_ONCE
#define IB_REDUCE_TERMS_ONCE
/* 2^-e for the exponent field eb of a normal double 2^(eb-1023) * 1.f,
 * eb in [1, 2045]. */
static inline IB_VM_ALWAYS_INLINE_ double ib_pow2_neg_(uint64_t eb)
{
    return ib_vm_asf64_((2046 - eb) << 52);
}
#endif

/* KL term p log(p/q), full path (any doubles). */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_kl_full_)(double x, double y)
{
    const double inf = (double)INFINITY;
    double ax = fabs(x), ay = fabs(y), mx, ex, my, ey;
    ib_vm_frexp1_(ax, &mx, &ex);
    ib_vm_frexp1_(ay, &my, &ey);
    double L = ib_log_ratio_f64(mx, my, 0.0, mx / my, ex - ey, 0, 1);
    int gen = (ax > 0.0) & (ax < inf) & (ay > 0.0) & (ay < inf) & ((x > 0.0) == (y > 0.0));
    /* y + 0.0: a zero q of either sign is zero (-0.0 + 0.0 = +0.0), so
     * p > 0 over q = -0.0 gives +inf as over +0.0, not log(-inf) = NaN */
    double naive = x * ib_log_f64(x / (y + 0.0));
    return gen ? x * L : naive;
}

/* MI term p log(p/(px py)), full path (any doubles). */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_mi_full_)(double x, double y, double z)
{
    const double inf = (double)INFINITY;
    double ax = fabs(x), ay = fabs(y), az = fabs(z), mx, ex, my, ey, mz, ez;
    ib_vm_frexp1_(ax, &mx, &ex);
    ib_vm_frexp1_(ay, &my, &ey);
    ib_vm_frexp1_(az, &mz, &ez);
    double w = my * mz;                         /* [1, 4): exact error */
    double l = IB_TWO_PROD_LO(my, mz, w);
    double L = ib_log_ratio_f64(mx, w, l, mx / w, ex - (ey + ez), 1, 1);
    int fin = (ax > 0.0) & (ax < inf) & (ay > 0.0) & (ay < inf) & (az > 0.0) & (az < inf);
    int pos = ((x > 0.0) ^ (y > 0.0) ^ (z > 0.0));   /* x/(y z) > 0 */
    double naive = x * ib_log_f64(x / ((y + 0.0) * (z + 0.0)));   /* -0.0 is 0 */
    return (fin & pos) ? x * L : naive;
}

/* JS term (p log(p/m) + q log(q/m))/2, m = (p+q)/2, full path, for
 * p, q >= 0 (the caller selects NaN otherwise).  p + q is taken exactly
 * (TwoSum) after scaling both by sc (2^-100 near the top of the range,
 * 2^200 near the bottom, else 1) so that it neither overflows nor loses
 * its error term to underflow; the ratios use the unscaled mantissas of p
 * and q and the exponent of the scaled sum (koff corrects for sc). */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_js_full_)(double x, double y)
{
    const double inf = (double)INFINITY;
    double big = x > y ? x : y;
    int hi = big >= 0x1p1000, lo = big < 0x1p-900;
    double sc = hi ? 0x1p-100 : (lo ? 0x1p200 : 1.0);
    double lsc = hi ? -100.0 : (lo ? 200.0 : 0.0);
    double xs = x * sc, ys = y * sc;
    double sg = xs + ys, bb = sg - xs;
    double tau = (xs - (sg - bb)) + (ys - bb);
    uint64_t eb = ib_vm_asu64_(sg) >> 52;       /* sg normal here */
    double ms = ib_vm_asf64_((ib_vm_asu64_(sg) & 0x000fffffffffffffULL)
                             | 0x3ff0000000000000ULL);
    double es = ib_vm_asf64_(0x4330000000000000ULL | eb) - (IB_VM_TWO52_ + 1023.0);
    double ls = tau * ib_pow2_neg_(eb);
    double mx, ex, my, ey;
    ib_vm_frexp1_(x, &mx, &ex);
    ib_vm_frexp1_(y, &my, &ey);
    double ko = 1.0 + lsc - es;
    double inv = 1.0 / ms;                      /* r only picks k: see fast */
    double u = x * ib_log_ratio_f64(mx, ms, ls, mx * inv, ex + ko, 1, 1);
    double v = y * ib_log_ratio_f64(my, ms, ls, my * inv, ey + ko, 1, 1);
    u = (x == 0.0) ? 0.0 : u;
    v = (y == 0.0) ? 0.0 : v;
    double m = 0.5 * x + 0.5 * y;               /* naive: inf operands */
    double nu = (x == 0.0) ? 0.0 : x * ib_log_f64(x / m);
    double nv = (y == 0.0) ? 0.0 : y * ib_log_f64(y / m);
    int fin = (x < inf) & (y < inf);
    return fin ? 0.5 * (u + v) : 0.5 * (nu + nv);
}

/* 1 if every value of p[0..n) is in [lo, hi], or zero when zero_ok. */
IB_NOINLINE static int IB_FN(ib_scan_ok)(const double *restrict p, int n,
                                         double lo, double hi, int zero_ok)
{
    double bad = 0.0;
    if (zero_ok) {
#pragma omp simd reduction(+ : bad)
        for (int i = 0; i < n; i++)
            bad += IB_IN_(p[i], lo, hi, 1) ? 0.0 : 1.0;
    } else {
#pragma omp simd reduction(+ : bad)
        for (int i = 0; i < n; i++)
            bad += IB_IN_(p[i], lo, hi, 0) ? 0.0 : 1.0;
    }
    return bad == 0.0;
}

/* 1 if every |p[i]| is in [lo, hi], or zero when zero_ok (NaN fails). */
IB_NOINLINE static int IB_FN(ib_scan_abs_ok)(const double *restrict p, int n,
                                             double lo, double hi, int zero_ok)
{
    double bad = 0.0;
#pragma omp simd reduction(+ : bad)
    for (int i = 0; i < n; i++) {
        double x = fabs(p[i]);
        bad += IB_IN_(x, lo, hi, zero_ok) ? 0.0 : 1.0;
    }
    return bad == 0.0;
}

/* KL under "omit" with operands of either sign (samples rather than
 * probabilities, as in the d2l chapter's KL of normal samples): if every
 * |p| is zero or in the fast range and every |q| in it, the terms are those
 * of the full path: p log(|p|/|q|) where p and q have the same sign (the
 * ratio of magnitudes by ib_log_ratio_f64, bitwise the full path's by scale
 * invariance), and NaN, i.e. omitted, i.e. +0, where the signs differ or
 * p is zero. */
static int IB_FN(ib_kl_signed_ok)(const double *a, const double *b, int n)
{
    return IB_FN(ib_scan_abs_ok)(a, n, IB_KL_LO, IB_KL_HI, 1)
        && IB_FN(ib_scan_abs_ok)(b, n, IB_KL_LO, IB_KL_HI, 0);
}

/* Whether any term of such a block is kept (p nonzero, p and q of one
 * sign): a block of samples of opposite signs (half the d2l chapter's
 * sorted normal samples) sums to +0 without a log. */
IB_NOINLINE static int IB_FN(ib_kl_signed_any)(const double *restrict a,
                                              const double *restrict b, int n)
{
    double kept = 0.0;
#pragma omp simd reduction(+ : kept)
    for (int i = 0; i < n; i++)
        kept += ((a[i] != 0.0) & ((a[i] > 0.0) == (b[i] > 0.0))) ? 1.0 : 0.0;
    return kept != 0.0;
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_kl_signed_)(double x, double y)
{
    double ax = fabs(x), ay = fabs(y);
    double v = x * ib_log_ratio_f64(ax, ay, 0.0, ax / ay, 0.0, 0, 0);
    int keep = (x != 0.0) & ((x > 0.0) == (y > 0.0));
    return keep ? v : 0.0;
}

/* 1 if every operand of the term is on its fast path (the row's ranges,
 * ib_term_rows; tp[o]: operand o's upper end). */
static int IB_FN(ib_fast_ok)(int term, const double *a, const double *b,
                             const double *c, int n, const double *tp)
{
    const ib_term_row *T = &ib_term_rows[term];
    const double *ops[3] = {a, b, c};
    for (int o = 0; o < T->nops; o++)
        if (!IB_FN(ib_scan_ok)(ops[o], n, T->lo[o], tp[o], T->zero_ok[o]))
            return 0;
    return 1;
}

/* Sum of the terms TERM(x, y, z) over the block, accumulated straight into
 * the 8 lanes of ib_lanes_sum8 (value i goes to lane i mod 8, in order):
 * bitwise the same sum as storing the terms and calling ib_lanes_sum8,
 * without the store and reload.  The inner loop over the 8 lanes is the
 * vector loop.  A partial last group runs through the same vector loop on
 * a copy padded with p = 0 and the other operands = PAD (the lower ends of
 * the KL and MI fast ranges, IB_KL_LO and IB_MI_LO; 0 for JS, whose term of
 * p = q = 0 is +0),
 * whose terms are +-0 for every term (entropy: ib_log_pos_f64(0) is finite;
 * KL and MI select +0 for a zero p): adding
 * +-0 leaves a lane unchanged (a lane never holds -0: it starts at +0, and
 * no sum of two values rounds to -0 unless both are -0).  GOOD(x, y, z),
 * when given, counts the values outside a domain into bad[8].  The same
 * lanes also sum the first operand into sx[8] and, when SUMY, the second
 * into sy[8] (the probability-sum check: KL's padding adds at most
 * 7 * 2^-511 to the sum of q, nothing at the check's scale). */
#define IB_LANE_SUM_CHECKED(TERM, GOOD, PAD, SUMY)                            \
    do {                                                                      \
        double pa[8] = {0, 0, 0, 0, 0, 0, 0, 0};                              \
        double pb[8] = {PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD};              \
        double pc[8] = {PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD};              \
        for (int i0 = 0; i0 < n; i0 += 8) {                                   \
            const double *xa = a + i0;                                        \
            const double *xb = b ? b + i0 : pb, *xc = c ? c + i0 : pc;        \
            if (i0 + 8 > n) {                                                 \
                for (int j = 0; j < n - i0; j++) {                            \
                    pa[j] = a[i0 + j];                                        \
                    if (b) pb[j] = b[i0 + j];                                 \
                    if (c) pc[j] = c[i0 + j];                                 \
                }                                                             \
                xa = pa, xb = pb, xc = pc;                                    \
            }                                                                 \
            _Pragma("omp simd")                                               \
            for (int j = 0; j < 8; j++) {                                     \
                const double x = xa[j], y = xb[j], z = xc[j];                 \
                (void)y, (void)z;                                             \
                bad[j] += (GOOD) ? 0.0 : 1.0;                                 \
                acc[j] += (TERM);                                             \
                sx[j] += x;                                                   \
                if (SUMY)                                                     \
                    sy[j] += y;                                               \
            }                                                                 \
        }                                                                     \
    } while (0)
#define IB_LANE_SUM(TERM) IB_LANE_SUM_CHECKED(TERM, 1, 0, 0)

/* JS term on the fast path: x = 2p (exact), w + l = p + q (TwoSum).  The
 * ratio r passed to ib_log_ratio_f64 only picks the exponent k, so one
 * reciprocal of p + q serves both halves (any r within a few ulps of x/w
 * keeps |s| <= 0.1716 + tiny); the full path forms r the same way, from
 * the mantissas, so both paths pick the same k (scale invariance). */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_js_fast_)(double x, double y)
{
    double sg = x + y, bb = sg - x;
    double tau = (x - (sg - bb)) + (y - bb);
    double inv = 1.0 / sg;
    double u = x * ib_log_ratio_f64(x + x, sg, tau, (x + x) * inv, 0.0, 1, 0);
    double v = y * ib_log_ratio_f64(y + y, sg, tau, (y + y) * inv, 0.0, 1, 0);
    u = (x == 0.0) ? 0.0 : u;
    v = (y == 0.0) ? 0.0 : v;
    return 0.5 * (u + v);
}

/* The term functions of the term table (ib_reduce_terms.h): per term nm,
 * ib_<nm>_fast / _good / _omit / _prop.  Operands a term does not read
 * are ignored (0 in the generated loops). */

/* entropy: -p log p */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_entr_fast)(double x, double y,
                                                             double z, double par)
{
    (void)y, (void)z, (void)par;
    return -x * ib_log_pos_f64(x);
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_entr_good)(double x, double y, double z,
                                                          double h0, double h1, double h2)
{
    (void)y, (void)z, (void)h1, (void)h2;
    return IB_IN_(x, IB_VM_DBL_MIN_, h0, 1);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_entr_omit)(double x, double y,
                                                             double z, double par)
{
    (void)y, (void)z, (void)par;
    return -x * ib_log_f64(x);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_entr_prop)(double x, double y,
                                                             double z, double par)
{
    (void)y, (void)z, (void)par;
    double v = -x * ib_log_f64(x);
    return (x == 0.0) ? 0.0 : v;    /* NaN/negative give NaN */
}

/* KL: p log(p/q) */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_kl_fast)(double x, double y,
                                                           double z, double par)
{
    (void)z, (void)par;
    return x == 0.0 ? 0.0 : x * ib_log_ratio_f64(x, y, 0.0, x / y, 0.0, 0, 0);
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_kl_good)(double x, double y, double z,
                                                        double h0, double h1, double h2)
{
    (void)z, (void)h2;
    return IB_IN_(x, IB_KL_LO, h0, 1) & IB_IN_(y, IB_KL_LO, h1, 0);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_kl_omit)(double x, double y,
                                                           double z, double par)
{
    (void)z, (void)par;
    return IB_FN(ib_kl_full_)(x, y);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_kl_prop)(double x, double y,
                                                           double z, double par)
{
    (void)z, (void)par;
    double v = IB_FN(ib_kl_full_)(x, y);
    int ok = (x >= 0.0) & (y >= 0.0);
    v = (x == 0.0) ? 0.0 : v;
    return ok ? v : NAN;
}

/* MI: p log(p/(px py)) */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_mi_fast)(double x, double y,
                                                           double z, double par)
{
    (void)par;
    return x == 0.0 ? 0.0
         : x * ib_log_ratio_f64(x, y * z, IB_TWO_PROD_LO(y, z, y * z),
                                x / (y * z), 0.0, 1, 0);
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_mi_good)(double x, double y, double z,
                                                        double h0, double h1, double h2)
{
    return IB_IN_(x, IB_MI_LO, h0, 1) & IB_IN_(y, IB_MI_LO, h1, 0)
         & IB_IN_(z, IB_MI_LO, h2, 0);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_mi_omit)(double x, double y,
                                                           double z, double par)
{
    (void)par;
    return IB_FN(ib_mi_full_)(x, y, z);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_mi_prop)(double x, double y,
                                                           double z, double par)
{
    (void)par;
    double v = IB_FN(ib_mi_full_)(x, y, z);
    int ok = (x >= 0.0) & (y >= 0.0) & (z >= 0.0);
    v = (x == 0.0) ? 0.0 : v;
    return ok ? v : NAN;
}

/* JS: (p log(p/m) + q log(q/m))/2 */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_js_fast)(double x, double y,
                                                           double z, double par)
{
    (void)z, (void)par;
    return IB_FN(ib_js_fast_)(x, y);
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_js_good)(double x, double y, double z,
                                                        double h0, double h1, double h2)
{
    (void)z, (void)h2;
    return IB_IN_(x, IB_JS_LO, h0, 1) & IB_IN_(y, IB_JS_LO, h1, 1);
}

/* NaN for a NaN or negative operand (left out under "omit") */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_js_omit)(double x, double y,
                                                           double z, double par)
{
    (void)z, (void)par;
    int ok = (x >= 0.0) & (y >= 0.0);
    return ok ? IB_FN(ib_js_full_)(x, y) : NAN;
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_js_prop)(double x, double y,
                                                           double z, double par)
{
    return IB_FN(ib_js_omit)(x, y, z, par);
}

/* Power sums (Renyi and Tsallis entropies): p^a = exp(a log p), a >= 0
 * finite, and 0 for p = 0 whatever a (so a = 0 counts the support).
 *
 * The exponential is ib_pow_exp_ (below): no table, so gcc vectorises it
 * without gathers on every path (the library's exp looks up a table, and
 * on Zen 4 its gathers cost as much as the log).  On the fast path p is
 * in [2^-1022, 1] (the row's upper end), so a log p <= 0; the full path
 * takes the same two functions (ib_log_f64 is ib_log_pos_f64 bitwise on
 * normal p), so both give the same bits on the fast domain, and
 * ib_exp_f64 where a log p > 300 (entries above 1 under "omit").
 * Error: the log's rounding (<= 1 ulp of log p) is multiplied by a, so a
 * term is within about (|a ln p| + 3) ulps of p^a (tests/unit/test_renyi.py
 * measures it against mpmath). */
#ifndef IB_POW_EXP_ONCE
#define IB_POW_EXP_ONCE
/* exp(t) for t <= 300 (or NaN): k = round(t / ln2), r = t - k ln2 (ln2 in
 * two parts, k ln2hi exact), |r| <= ln2/2, exp(r) by its Taylor polynomial
 * of degree 13 (truncation below 2^-57 relative), Estrin's scheme; the
 * scale 2^(k + 512) built in the exponent bits (k + 1535 in [1, 2046] for
 * -1000 <= t <= 300) and multiplied by 2^-512 at the end (one rounding for
 * subnormal results).  t < -1000 (and -inf) gives +0; NaN gives NaN.
 * Within 2 ulps of exp(t) (tests).  About 35 operations, no table. */
static inline IB_VM_ALWAYS_INLINE_ double ib_pow_exp_(double t)
{
    const double shift = IB_VM_SHIFTER_;
    const double inv_ln2 = 1.4426950408889634;           /* 1/ln2 */
    double kt = t * inv_ln2 + shift;
    uint64_t ki = ib_vm_asu64_(kt);
    double kd = kt - shift;
    double r = (t - kd * IB_VM_LN2_HI_) - kd * IB_VM_LN2_LO_;
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q1 = 0.5 + r * 0.16666666666666666;
    double q2 = (0.041666666666666664 + r * 0.008333333333333333)
              + r2 * (0.001388888888888889 + r * 0.0001984126984126984);
    double q3 = ((2.48015873015873e-05 + r * 2.7557319223985893e-06)
                 + r2 * (2.755731922398589e-07 + r * 2.505210838544172e-08))
              + r4 * (2.08767569878681e-09 + r * 1.6059043836821613e-10);
    double q = r2 * q1 + (r4 * q2 + r8 * q3);
    double e = 1.0 + (r + q);
    double scale = ib_vm_asf64_((ki << 52) + ((uint64_t)1535 << 52));
    double res = (scale * e) * IB_VM_TWOM512_;
    return (t < -1000.0) ? 0.0 : res;
}
#endif

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_pow_fast)(double x, double y,
                                                            double z, double par)
{
    (void)y, (void)z;
    double e = ib_pow_exp_(par * ib_log_pos_f64(x));
    return x == 0.0 ? 0.0 : e;
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_pow_good)(double x, double y, double z,
                                                         double h0, double h1, double h2)
{
    (void)y, (void)z, (void)h1, (void)h2;
    return IB_IN_(x, IB_VM_DBL_MIN_, h0, 1);
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_pow_omit)(double x, double y,
                                                            double z, double par)
{
    (void)y, (void)z;
    double l = par * ib_log_f64(x);
    double e = (l <= 300.0) ? ib_pow_exp_(l) : ib_exp_f64(l);
    return x == 0.0 ? 0.0 : e;       /* NaN/negative give NaN */
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_pow_prop)(double x, double y,
                                                            double z, double par)
{
    return IB_FN(ib_pow_omit)(x, y, z, par);
}

/* Squares (Renyi and Tsallis entropies of order 2): p^2, one rounding. */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sq_fast)(double x, double y,
                                                           double z, double par)
{
    (void)y, (void)z, (void)par;
    return x * x;
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_sq_good)(double x, double y, double z,
                                                        double h0, double h1, double h2)
{
    (void)y, (void)z, (void)h1, (void)h2;
    return IB_IN_(x, 0.0, h0, 1);
}

/* a negative entry gives NaN (left out under "omit"), as p^a = exp(a log p)
 * does */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sq_omit)(double x, double y,
                                                           double z, double par)
{
    (void)y, (void)z, (void)par;
    return x >= 0.0 ? x * x : NAN;
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sq_prop)(double x, double y,
                                                           double z, double par)
{
    return IB_FN(ib_sq_omit)(x, y, z, par);
}

/* Square roots (Renyi and Tsallis entropies of order 1/2): sqrt(p),
 * correctly rounded (one vector instruction: -fno-math-errno). */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sqrt_fast)(double x, double y,
                                                             double z, double par)
{
    (void)y, (void)z, (void)par;
    return sqrt(x);
}

static inline IB_VM_ALWAYS_INLINE_ int IB_FN(ib_sqrt_good)(double x, double y, double z,
                                                          double h0, double h1, double h2)
{
    (void)y, (void)z, (void)h1, (void)h2;
    return IB_IN_(x, 0.0, h0, 1);
}

/* sqrt(-0) = -0 would be the only negative term: +0 for p == 0, as the
 * other power sums; a negative entry gives NaN (left out under "omit") */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sqrt_omit)(double x, double y,
                                                             double z, double par)
{
    (void)y, (void)z, (void)par;
    double v = sqrt(x);
    return x == 0.0 ? 0.0 : v;
}

static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_sqrt_prop)(double x, double y,
                                                             double z, double par)
{
    return IB_FN(ib_sqrt_omit)(x, y, z, par);
}

/* Summed terms of a block on the fast path, with ib_fast_ok's domain
 * check folded into the same loop (one pass over the block instead of a
 * scan and a pass): *ok = 0 if an operand is outside the fast path's
 * ranges (tp[o]: the upper ends, IB_PROB_HI for the operands whose
 * probability range is checked), the sum then being meaningless (the
 * caller takes another path).  s[0] (and for KL and JS s[1]) receive the
 * sums of the first (second) operand, from the same lanes. */
IB_NOINLINE static double IB_FN(ib_block_fast)(int term, const double *restrict a,
                                               const double *restrict b,
                                               const double *restrict c, int n,
                                               const double *tp, int *ok,
                                               double *s)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double bad[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double sx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double sy[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const double h0 = tp[0], h1 = tp[1], h2 = tp[2], par = tp[3];
    (void)h1, (void)h2, (void)par;
#define IB_CASE_(ID, nm)                                                      \
    case ID:                                                                  \
        IB_LANE_SUM_CHECKED(IB_FN(ib_##nm##_fast)(x, y, z, par),              \
                            IB_FN(ib_##nm##_good)(x, y, z, h0, h1, h2),       \
                            ib_term_rows[ID].pad, ib_term_rows[ID].sumy);     \
        break;
    switch (term) {
        IB_REDUCE_TERMS(IB_CASE_)
    default:
        bad[0] = 1.0;
        break;
    }
#undef IB_CASE_
    *ok = (bad[0] + bad[1] + bad[2] + bad[3] + bad[4] + bad[5] + bad[6] + bad[7]) == 0.0;
    s[0] = ib_lanes_total8(sx);
    s[1] = ib_lanes_total8(sy);
    return ib_lanes_total8(acc);
}

/* Summed terms of a KL block that passed ib_kl_signed_ok ("omit"). */
IB_NOINLINE static double IB_FN(ib_block_kl_signed)(const double *restrict a,
                                                    const double *restrict b,
                                                    int n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double bad[8] = {0, 0, 0, 0, 0, 0, 0, 0};   /* (no check: stays 0) */
    double sx[8] = {0, 0, 0, 0, 0, 0, 0, 0};    /* (sums unused: "omit") */
    double sy[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const double *restrict c = NULL;
    IB_LANE_SUM(IB_FN(ib_kl_signed_)(x, y));
    (void)sx, (void)sy;
    return ib_lanes_total8(acc);
}

/* The same terms, stored (the outer-axis path). */
IB_NOINLINE static void IB_FN(ib_terms_kl_signed)(const double *restrict a,
                                                  const double *restrict b,
                                                  int n, double *restrict t)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        t[i] = IB_FN(ib_kl_signed_)(a[i], b[i]);
}

#undef IB_LANE_SUM
#undef IB_LANE_SUM_CHECKED

/* Values outside the probability range among the checked operands (bit o
 * of chk: operand o): under "propagate" an entry below 0 or above
 * IB_PROB_HI (so +-inf too; NaN is not counted, it propagates), under
 * "raise" also NaN.  Only the full path calls it (a block that passed the
 * fast path's check holds no such value). */
IB_NOINLINE static double IB_FN(ib_count_bad)(int policy, int chk,
                                              const double *restrict a,
                                              const double *restrict b,
                                              const double *restrict c, int n)
{
    double cnt = 0.0;
    const double *ops[3] = {a, b, c};
    for (int o = 0; o < 3; o++) {
        const double *restrict p = ops[o];
        if (p == NULL || !((chk >> o) & 1))
            continue;
        if (policy == IB_NAN_RAISE) {
#pragma omp simd reduction(+ : cnt)
            for (int i = 0; i < n; i++)
                cnt += ((p[i] >= 0.0) & (p[i] <= IB_PROB_HI)) ? 0.0 : 1.0;
        } else {
#pragma omp simd reduction(+ : cnt)
            for (int i = 0; i < n; i++)
                cnt += ((p[i] < 0.0) | (p[i] > IB_PROB_HI)) ? 1.0 : 0.0;
        }
    }
    return cnt;
}

/* Sums of a (s[0]) and, when b is given, b (s[1]) over n values: the
 * probability-sum check on the full path (the block is in L1). */
IB_NOINLINE static void IB_FN(ib_block_sums)(const double *restrict a,
                                             const double *restrict b, int n,
                                             double *s)
{
    double sa = 0.0, sb = 0.0;
#pragma omp simd reduction(+ : sa)
    for (int i = 0; i < n; i++)
        sa += a[i];
    if (b != NULL) {
#pragma omp simd reduction(+ : sb)
        for (int i = 0; i < n; i++)
            sb += b[i];
    }
    s[0] = sa;
    s[1] = sb;
}

/* Terms of n contiguous values (full path: any values) into t[0..n).
 * *nbad counts the values of the checked operands (chk, 0 under "omit")
 * outside the probability range (ib_count_bad).
 * noinline: once inlined into the chunk loop (operand pointers picked from
 * an array), gcc 12 no longer vectorises the term loops ("no vectype");
 * the call costs nothing next to 128 logs. */
IB_NOINLINE static void IB_FN(ib_terms_full)(int term, int policy, int chk,
                              double par,
                              const double *restrict a,
                              const double *restrict b,
                              const double *restrict c, int n,
                              double *restrict t, double *nbad)
{
    const int omit = (policy == IB_NAN_OMIT);
    /* the row's omit form with NaN terms left out, or its propagate form;
     * operands the term does not read are not loaded */
#define IB_CASE_(ID, nm)                                                      \
    case ID:                                                                  \
        if (omit) {                                                           \
            _Pragma("omp simd")                                               \
            for (int i = 0; i < n; i++) {                                     \
                const double x = a[i];                                        \
                const double y = ib_term_rows[ID].nops > 1 ? b[i] : 0.0;      \
                const double z = ib_term_rows[ID].nops > 2 ? c[i] : 0.0;      \
                double v = IB_FN(ib_##nm##_omit)(x, y, z, par);               \
                t[i] = (v == v) ? v : 0.0;                                    \
            }                                                                 \
        } else {                                                              \
            _Pragma("omp simd")                                               \
            for (int i = 0; i < n; i++) {                                     \
                const double x = a[i];                                        \
                const double y = ib_term_rows[ID].nops > 1 ? b[i] : 0.0;      \
                const double z = ib_term_rows[ID].nops > 2 ? c[i] : 0.0;      \
                t[i] = IB_FN(ib_##nm##_prop)(x, y, z, par);                   \
            }                                                                 \
        }                                                                     \
        break;
    switch (term) {
        IB_REDUCE_TERMS(IB_CASE_)
    default:
        for (int i = 0; i < n; i++)
            t[i] = NAN;
        break;
    }
#undef IB_CASE_
    if (chk)
        *nbad += IB_FN(ib_count_bad)(policy, chk, a, b, c, n);
}

/* Terms of one block of n contiguous values, summed (see ib_terms_full).
 * *hint (per chunk, starting at 1) says whether the last block was on the
 * fast path: then this one tries the fast path with its folded check
 * first; after a miss, blocks are scanned first (ib_fast_ok), so data off
 * the fast path (the d2l chapter's normal samples) does not pay for a
 * wasted fast pass per block.  Every route gives the same bits (above).
 * s[0], s[1]: the sums of a and (KL, JS) b, for the probability-sum check;
 * chk: the operands whose range is checked (0 under "omit"), tp their
 * fast-path upper ends. */
static double IB_FN(ib_block)(int term, int policy, int chk, const double *tp,
                              const double *restrict a,
                              const double *restrict b,
                              const double *restrict c, int n, double *nbad,
                              int *hint, double *s)
{
    double t[IB_BLOCK];
    int ok;
    if (*hint) {
        double v = IB_FN(ib_block_fast)(term, a, b, c, n, tp, &ok, s);
        if (ok)
            return v;
        *hint = 0;
    } else if (IB_FN(ib_fast_ok)(term, a, b, c, n, tp)) {
        *hint = 1;
        return IB_FN(ib_block_fast)(term, a, b, c, n, tp, &ok, s);
    }
    IB_FN(ib_block_sums)(a, ib_term_rows[term].sumy ? b : NULL, n, s);
    if (term == IB_TERM_KL && policy == IB_NAN_OMIT && IB_FN(ib_kl_signed_ok)(a, b, n))
        /* every term +0: the lanes' sum is +0 */
        return IB_FN(ib_kl_signed_any)(a, b, n) ? IB_FN(ib_block_kl_signed)(a, b, n)
                                                : 0.0;
    IB_FN(ib_terms_full)(term, policy, chk, tp[3], a, b, c, n, t, nbad);
    return ib_lanes_sum8(t, n);
}

IB_NOINLINE static void IB_FN(ib_outer_acc)(double *restrict acc,
                                            const double *restrict t, int w);
IB_NOINLINE static void IB_FN(ib_outer_acc_f32)(double *restrict acc,
                                                const float *restrict x, int w);

/* Terms of a row segment that passed ib_fast_ok, stored (the outer-axis
 * path): the same values as ib_block_fast's terms.  The same loop adds
 * the operands to the per-output sums of the probability-sum check: sx
 * (the first operand) and, for KL and JS, sy (the second). */
IB_NOINLINE static void IB_FN(ib_terms_fast)(int term, double par,
                                             const double *restrict a,
                                             const double *restrict b,
                                             const double *restrict c, int n,
                                             double *restrict t, double *restrict sx,
                                             double *restrict sy)
{
    /* (entropy: ib_terms_entr_checked) */
#define IB_CASE_(ID, nm)                                                      \
    case ID:                                                                  \
        _Pragma("omp simd")                                                   \
        for (int i = 0; i < n; i++) {                                         \
            const double x = a[i];                                            \
            const double y = ib_term_rows[ID].nops > 1 ? b[i] : 0.0;          \
            const double z = ib_term_rows[ID].nops > 2 ? c[i] : 0.0;          \
            t[i] = IB_FN(ib_##nm##_fast)(x, y, z, par);                       \
            sx[i] += x;                                                       \
            if (ib_term_rows[ID].sumy)                                        \
                sy[i] += y;                                                   \
        }                                                                     \
        break;
    switch (term) {
        IB_REDUCE_TERMS(IB_CASE_)
    default:
        break;
    }
#undef IB_CASE_
}

/* Entropy terms of n values, stored, with the domain check of ib_scan_ok
 * folded in (returns 0 if a value is outside {0} u [DBL_MIN, hi]; the
 * terms are then meaningless).  The outer-axis path reads each row segment
 * from memory once instead of twice. */
IB_NOINLINE static int IB_FN(ib_terms_entr_checked)(const double *restrict a, int n,
                                                    double hi, double *restrict t,
                                                    double *restrict sx)
{
    double bad = 0.0;
#pragma omp simd reduction(+ : bad)
    for (int i = 0; i < n; i++) {
        const double x = a[i];
        bad += IB_IN_(x, IB_VM_DBL_MIN_, hi, 1) ? 0.0 : 1.0;
        t[i] = -x * ib_log_pos_f64(x);
        sx[i] += x;
    }
    return bad == 0.0;
}

/* Terms of n contiguous values, stored: fast path when the segment allows.
 * sx, sy: the per-output sums (see ib_terms_fast; sy used for KL and JS). */
static void IB_FN(ib_terms)(int term, int policy, int chk, const double *tp,
                            const double *a, const double *b, const double *c,
                            int n, double *t, double *nbad, double *sx, double *sy)
{
    if (term == IB_TERM_ENTR) {
        /* (the checked loop has added the values to sx either way) */
        if (!IB_FN(ib_terms_entr_checked)(a, n, tp[0], t, sx))
            IB_FN(ib_terms_full)(term, policy, chk, tp[3], a, b, c, n, t, nbad);
        return;
    }
    if (IB_FN(ib_fast_ok)(term, a, b, c, n, tp)) {
        IB_FN(ib_terms_fast)(term, tp[3], a, b, c, n, t, sx, sy);
        return;
    }
    if (term == IB_TERM_KL && policy == IB_NAN_OMIT && IB_FN(ib_kl_signed_ok)(a, b, n))
        IB_FN(ib_terms_kl_signed)(a, b, n, t);
    else
        IB_FN(ib_terms_full)(term, policy, chk, tp[3], a, b, c, n, t, nbad);
    IB_FN(ib_outer_acc)(sx, a, n);
    if (ib_term_rows[term].sumy)
        IB_FN(ib_outer_acc)(sy, b, n);
}


/* Margins of the first operand, accumulated while its block is in L1: the
 * n values v of flat positions starting at (r, cc) add to mrow[r'] and
 * mcol[c'].  For the check of given marginals against the joint (the order
 * of these sums does not matter: they only decide a warning).  The row
 * lanes stay in registers within a segment. */
IB_NOINLINE static void IB_FN(ib_margins_acc)(const double *restrict v, int n,
                                             ib_ssize r, ib_ssize cc, ib_ssize C,
                                             double *restrict mrow,
                                             double *restrict mcol)
{
    int j = 0;
    while (j < n) {
        int m = (int)((C - cc) < (ib_ssize)(n - j) ? (C - cc) : (ib_ssize)(n - j));
        double *restrict col = mcol + cc;
        const double *restrict x = v + j;
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int t = 0;
        for (; t + 8 <= m; t += 8) {
            const double *restrict g = x + t;   /* groups through pointers: */
            double *restrict h = col + t;       /* see IB_LANE_SUM          */
#pragma omp simd
            for (int i = 0; i < 8; i++) {
                double y = g[i];
                h[i] += y;
                acc[i] += y;
            }
        }
        for (; t < m; t++) {
            col[t] += x[t];
            acc[t & 7] += x[t];
        }
        mrow[r] += ib_lanes_total8(acc);
        j += m;
        r++;
        cc = 0;
    }
}

/* float32 entropy: the log in single precision (ib_log_f32, 8 lanes per
 * AVX2 vector, within 1 float ulp), the term -x log x and the sums in
 * double.  A segment of zeros and positive normal floats takes the short
 * form (ib_log_pos_f32, bitwise ib_log_f32 there); others the full form
 * with the NaN policy, as ib_terms_full does for doubles. */
IB_NOINLINE static int IB_FN(ib_scan_ok_f32)(const float *restrict p, int n, float hi)
{
    float bad = 0.0f;
#pragma omp simd reduction(+ : bad)
    for (int i = 0; i < n; i++) {
        float x = p[i];
        int ok = ((x >= FLT_MIN) & (x <= hi)) | (x == 0.0f);
        bad += ok ? 0.0f : 1.0f;
    }
    return bad == 0.0f;
}

IB_NOINLINE static void IB_FN(ib_entr32_fast)(const float *restrict a, int n,
                                              double *restrict t, double *restrict sx)
{
#pragma omp simd
    for (int i = 0; i < n; i++) {
        const float x = a[i];
        const float l = ib_log_pos_f32(x);
        t[i] = -(double)x * (double)l;
        sx[i] += (double)x;
    }
}

IB_NOINLINE static void IB_FN(ib_entr32_full)(int policy, int chk,
                                              const float *restrict a,
                                              int n, double *restrict t,
                                              double *nbad)
{
    if (policy == IB_NAN_OMIT) {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            const float x = a[i];
            const double v = -(double)x * (double)ib_log_f32(x);
            t[i] = (v == v) ? v : 0.0;
        }
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            const float x = a[i];
            const double v = -(double)x * (double)ib_log_f32(x);
            t[i] = (x == 0.0f) ? 0.0 : v;     /* NaN/negative give NaN */
        }
    }
    if (chk & 1) {     /* as ib_count_bad */
        double cnt = 0.0;
        const float phi = (float)IB_PROB_HI;
        if (policy == IB_NAN_RAISE) {
#pragma omp simd reduction(+ : cnt)
            for (int i = 0; i < n; i++)
                cnt += ((a[i] >= 0.0f) & (a[i] <= phi)) ? 0.0 : 1.0;
        } else {
#pragma omp simd reduction(+ : cnt)
            for (int i = 0; i < n; i++)
                cnt += ((a[i] < 0.0f) | (a[i] > phi)) ? 1.0 : 0.0;
        }
        *nbad += cnt;
    }
}

/* Sum of n floats in double (the full path's probability sum). */
IB_NOINLINE static double IB_FN(ib_sum_f32)(const float *restrict a, int n)
{
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < n; i++)
        s += (double)a[i];
    return s;
}

/* ib_entr32_fast's terms summed straight into ib_lanes_sum8's 8 lanes
 * (value i to lane i mod 8, in order; a partial last group padded with
 * zeros, whose terms are +-0): bitwise ib_lanes_sum8 of the stored terms,
 * without the store and reload.  ib_scan_ok_f32's check is folded in:
 * *ok = 0 for a value off the fast path (the sum is then meaningless).
 * *s receives the sum of the values (in double, the same lanes). */
IB_NOINLINE static double IB_FN(ib_entr32_fast_sum)(const float *restrict a, int n,
                                                    float hi, int *ok, double *s)
{
    /* 16 values per step (one AVX-512 vector of floats), added to the 8
     * lanes in order: first values i0..i0+7, then i0+8..i0+15 */
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    /* the block's sum in 16 float lanes (at most 8 adds per lane: relative
     * error below 1e-6, far inside the sum check's 1e-4 for float32) */
    float sx[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    float bad[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    float pad[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int i0 = 0; i0 < n; i0 += 16) {
        const float *g = a + i0;
        if (i0 + 16 > n) {
            for (int j = 0; j < n - i0; j++)
                pad[j] = a[i0 + j];
            g = pad;
        }
        double t[16];
#pragma omp simd
        for (int j = 0; j < 16; j++) {
            const float x = g[j];
            const int good = ((x >= FLT_MIN) & (x <= hi)) | (x == 0.0f);
            bad[j] += good ? 0.0f : 1.0f;
            sx[j] += x;
            t[j] = -(double)x * (double)ib_log_pos_f32(x);
        }
#pragma omp simd
        for (int j = 0; j < 8; j++)
            acc[j] = (acc[j] + t[j]) + t[j + 8];
    }
    float nb = 0.0f;   /* counts of at most IB_BLOCK: exact in float */
    for (int j = 0; j < 16; j++)
        nb += bad[j];
    *ok = nb == 0.0f;
    double st = 0.0;
    for (int j = 0; j < 16; j++)
        st += (double)sx[j];
    *s = st;
    return ib_lanes_total8(acc);
}

static void IB_FN(ib_entr32_terms)(int policy, int chk, float hi, const float *a,
                                   int n, double *t, double *nbad, double *sx)
{
    if (IB_FN(ib_scan_ok_f32)(a, n, hi)) {
        IB_FN(ib_entr32_fast)(a, n, t, sx);
    } else {
        IB_FN(ib_entr32_full)(policy, chk, a, n, t, nbad);
        IB_FN(ib_outer_acc_f32)(sx, a, n);
    }
}

/* Outer-axis path: acc[j] += t[j], one lane row of a block. */
IB_NOINLINE static void IB_FN(ib_outer_acc)(double *restrict acc,
                                            const double *restrict t, int w)
{
#pragma omp simd
    for (int j = 0; j < w; j++)
        acc[j] += t[j];
}

/* Outer-axis path: acc[j] += x[j] for float32 values (the sums of the
 * probability-sum check). */
IB_NOINLINE static void IB_FN(ib_outer_acc_f32)(double *restrict acc,
                                                const float *restrict x, int w)
{
#pragma omp simd
    for (int j = 0; j < w; j++)
        acc[j] += (double)x[j];
}

/* Outer-axis path: the block sums of w outputs from their 8 lane rows
 * (stride IB_OUTER_W), by ib_lanes_total8's tree. */
IB_NOINLINE static void IB_FN(ib_outer_total)(const double *restrict acc,
                                              double *restrict out, int w)
{
    const double *restrict a0 = acc, *restrict a1 = acc + IB_OUTER_W;
    const double *restrict a2 = acc + 2 * IB_OUTER_W, *restrict a3 = acc + 3 * IB_OUTER_W;
    const double *restrict a4 = acc + 4 * IB_OUTER_W, *restrict a5 = acc + 5 * IB_OUTER_W;
    const double *restrict a6 = acc + 6 * IB_OUTER_W, *restrict a7 = acc + 7 * IB_OUTER_W;
#pragma omp simd
    for (int j = 0; j < w; j++)
        out[j] = ((a0[j] + a1[j]) + (a2[j] + a3[j]))
               + ((a4[j] + a5[j]) + (a6[j] + a7[j]));
}

/* The element-type parts: gather, chunk and outer-axis chunk, per dtype. */
#define IB_TYPE_BODY "ib_reduce_typed.h"
#include "ib_per_type.h"
#undef IB_TYPE_BODY

static void IB_FN(ib_vlog)(const double *restrict x, double *restrict y,
                           ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_log_f64(x[i]);
}

static void IB_FN(ib_vexp)(const double *restrict x, double *restrict y,
                           ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_f64(x[i]);
}

static void IB_FN(ib_vlog1p)(const double *restrict x, double *restrict y,
                             ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_log1p_f64(x[i]);
}

static void IB_FN(ib_vlog_f32)(const float *restrict x, float *restrict y,
                               ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_log_f32(x[i]);
}

static void IB_FN(ib_vexp_f32)(const float *restrict x, float *restrict y,
                               ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_f32(x[i]);
}

static void IB_FN(ib_vexp_diff_f32)(const float *restrict x,
                                    const float *restrict m,
                                    float *restrict y, ib_ssize n)
{
#pragma omp simd
    for (ib_ssize i = 0; i < n; i++)
        y[i] = ib_exp_diff_f32(x[i], m[i]);
}

#undef IB_TWO_PROD_LO
