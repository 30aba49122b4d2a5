/* Block kernels of the NumPy ufuncs (ib_ufuncs.c), compiled once per SIMD
 * path through ib_per_path.h (IB_SFX = _base, _v3, _v4).  Each takes n <= a few
 * hundred contiguous doubles; the ufunc loops gather strided or non-double
 * operands into stack buffers first.  No include guard on purpose. */


#if defined(__GNUC__) && defined(__FMA__)   /* the v3 path under GCC */
#define IB_UF_TWO_PROD_LO(a, b, p) ib_two_prod_lo_fma_f64(a, b, p)
#else
#define IB_UF_TWO_PROD_LO(a, b, p) ib_two_prod_lo_f64(a, b, p)
#endif

/* Self-information in bits: 0 - log2(x), log2(x) = k + log(m) / ln 2 for
 * x = 2^k m, m in [sqrt(2)/2, sqrt(2)) (ib_log_f64's split and core, the
 * subnormal prescaling included), 1/ln 2 as a two-double constant.  Exact
 * (an integer) at powers of two; special values as ib_log_f64.  full = 0
 * (a compile-time constant at each use) drops the subnormal prescaling and
 * the special-value selects: bitwise the same result for normal positive
 * finite x, the domain ib_uf_si_fast_ok checks. */
static inline IB_VM_ALWAYS_INLINE_ double IB_FN(ib_uf_si_bits1_)(double v, int full)
{
    const double inf = ib_vm_asf64_(IB_VM_INF_);
    int sub = full & (v < IB_VM_DBL_MIN_);
    double vs = sub ? v * IB_VM_TWO54_ : v;
    double kbias = sub ? IB_VM_TWO52_ + 1078.0 : IB_VM_TWO52_ + 1024.0;
    double kd, m;
    ib_vm_split_(ib_vm_asu64_(vs), kbias, &kd, &m);
    double lm = ib_vm_log_core_(m, IB_VM_TWO52_ + 1024.0);   /* k = 0 */
    double r = kd + (lm * IB_UF_INVLN2_HI_ + lm * IB_UF_INVLN2_LO_);
    if (!full)
        return 0.0 - r;
    double sp = (v == 0.0) ? -inf : v * inf + inf;
    int ok = (v > 0.0) & (v < inf);
    return 0.0 - (ok ? r : sp);
}

/* Whether every x of the block is normal, positive and finite: then the
 * self-information loops skip the subnormal and special-value handling
 * (ib_log_pos_f64 is bitwise ib_log_f64 there). */
IB_NOINLINE static int IB_FN(ib_uf_si_fast_ok)(const double *x, int n)
{
    int ok = 1;
#pragma omp simd reduction(&:ok)
    for (int i = 0; i < n; i++)
        ok &= (x[i] >= IB_VM_DBL_MIN_) & (x[i] <= 0x1.fffffffffffffp+1023);
    return ok;
}

/* Self-information in nats: 0 - log(x) (+0 for x == 1, +inf for x == 0,
 * NaN for x < 0 and NaN), ib_log_f64 per element. */
IB_NOINLINE static void IB_FN(ib_uf_si_nats)(const double *x, double *y, int n)
{
    if (IB_FN(ib_uf_si_fast_ok)(x, n)) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            y[i] = 0.0 - ib_log_pos_f64(x[i]);
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            y[i] = 0.0 - ib_log_f64(x[i]);
    }
}

IB_NOINLINE static void IB_FN(ib_uf_si_bits)(const double *x, double *y, int n)
{
    if (IB_FN(ib_uf_si_fast_ok)(x, n)) {
#pragma omp simd
        for (int i = 0; i < n; i++)
            y[i] = IB_FN(ib_uf_si_bits1_)(x[i], 0);
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++)
            y[i] = IB_FN(ib_uf_si_bits1_)(x[i], 1);
    }
}

/* Pointwise mutual information log(x / (y z)), in nats (bits != 0: in
 * bits), for any doubles: the MI term of the reductions (ib_reduce_path.h,
 * ib_mi_full_) without its factor x.  Each positive finite operand is split
 * into m 2^e, m in [1, 2), the ratio of mantissas x / (y z) is taken by
 * ib_log_ratio_f64 with the exact two-product y z = w + l, and the
 * exponents enter as koff, so nothing overflows or underflows.  Zeros,
 * infinities, NaN and negative operands take the naive log(x / (y z)) with
 * IEEE rules (-inf for x == 0 < y z, NaN for 0/0).  In bits the result is
 * the nats value times 1/ln 2 (a two-double constant), except that an
 * exact power-of-two ratio gives its exponent exactly. */
IB_NOINLINE static void IB_FN(ib_uf_pmi_full)(const double *a,
                                          const double *b,
                                          const double *c,
                                          double *out, int n, int bits)
{
    const double inf = ib_vm_asf64_(IB_VM_INF_);
#pragma omp simd
    for (int i = 0; i < n; i++) {
        double x = a[i], y = b[i], z = c[i];
        double ax = fabs(x), ay = fabs(y), az = fabs(z), mx, ex, my, ey, mz, ez;
        ib_vm_frexp1_(ax, &mx, &ex);
        ib_vm_frexp1_(ay, &my, &ey);
        ib_vm_frexp1_(az, &mz, &ez);
        double w = my * mz;                     /* [1, 4): exact error */
        double l = IB_UF_TWO_PROD_LO(my, mz, w);
        double ko = ex - (ey + ez);
        double L = bits ? ib_uf_log2_ratio_(mx, w, l, mx / w, ko)
                        : ib_log_ratio_f64(mx, w, l, mx / w, ko, 1, 1);
        int fin = (ax > 0.0) & (ax < inf) & (ay > 0.0) & (ay < inf)
                & (az > 0.0) & (az < inf);
        int pos = ((x > 0.0) ^ (y > 0.0) ^ (z > 0.0));
        /* only +-inf or NaN here: the same in nats and bits */
        double naive = ib_log_f64(x / (y * z));
        double r = (fin & pos) ? L : naive;
        out[i] = r;
    }
}


/* The fast path of the MI reduction (ib_reduce_path.h, IB_TERM_MI) for a
 * block whose operands are all ordinary: x in {0} u [2^-340, 2^340], y and
 * z in [2^-340, 2^340].  Then x / (y z) is a positive normal double and the
 * two-product y z = w + l is exact, so ib_log_ratio_f64 applies directly;
 * by its scale invariance the result has the bits of the full path.  x = 0
 * gives -inf. */
IB_NOINLINE static int IB_FN(ib_uf_pmi_fast_ok)(const double *a,
                                                 const double *b,
                                                 const double *c, int n)
{
    int ok = 1;
#pragma omp simd reduction(&:ok)
    for (int i = 0; i < n; i++) {
        double x = a[i], y = b[i], z = c[i];
        ok &= ((x == 0.0) | ((x >= 0x1p-340) & (x <= 0x1p340)))
            & (y >= 0x1p-340) & (y <= 0x1p340) & (z >= 0x1p-340) & (z <= 0x1p340);
    }
    return ok;
}

IB_NOINLINE static void IB_FN(ib_uf_pmi_fast)(const double *a,
                                               const double *b,
                                               const double *c,
                                               double *out, int n, int bits)
{
    const double ninf = -ib_vm_asf64_(IB_VM_INF_);
    if (bits) {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double x = a[i], w = b[i] * c[i];
            double l = IB_UF_TWO_PROD_LO(b[i], c[i], w);
            double r = ib_uf_log2_ratio_(x, w, l, x / w, 0.0);
            out[i] = x == 0.0 ? ninf : r;
        }
    } else {
#pragma omp simd
        for (int i = 0; i < n; i++) {
            double x = a[i], w = b[i] * c[i];
            double l = IB_UF_TWO_PROD_LO(b[i], c[i], w);
            double r = ib_log_ratio_f64(x, w, l, x / w, 0.0, 1, 0);
            out[i] = x == 0.0 ? ninf : r;
        }
    }
}

static void IB_FN(ib_uf_pmi)(const double *a, const double *b, const double *c,
                              double *out, int n, int bits)
{
    if (IB_FN(ib_uf_pmi_fast_ok)(a, b, c, n))
        IB_FN(ib_uf_pmi_fast)(a, b, c, out, n, bits);
    else
        IB_FN(ib_uf_pmi_full)(a, b, c, out, n, bits);
}

#undef IB_UF_TWO_PROD_LO
