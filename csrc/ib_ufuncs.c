/* Inner loops of the NumPy ufuncs of infobits._ufuncs: log1pexp,
 * log_sigmoid, self-information (nats, bits) and pointwise mutual
 * information (nats, bits).
 *
 * A loop gets NumPy's (args, dimensions, steps, data): n elements, byte
 * strides.  Contiguous (or element-strided) float64/float32 operands of
 * log1pexp/log_sigmoid go straight to the strided kernels of ib_numerics.c
 * (ib_log1pexp_f64/_f32); everything else is gathered into stack buffers
 * of IB_UF_BLOCK doubles, computed by the per-path block kernels of
 * ib_ufuncs_path.h (picked at run time through the process-wide SIMD
 * state) and stored back with one rounding (float32 results are the
 * float64 result rounded: within 1 float32 ulp).  The loops never call
 * into Python, so NumPy runs them without the GIL. */
#include "ib_ufuncs.h"
#include "ib_numerics.h"
#include "ib_vmath.h"
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define IB_UF_BLOCK 256

/* The kernels compare NaNs and form inf - inf on purpose (branch-free
 * selects), which raises IEEE flags that NumPy would turn into spurious
 * RuntimeWarnings after the loop; every documented special value (log 0 =
 * -inf, NaN for p < 0) is a result, not an error, as before these were
 * ufuncs.  So each loop leaves the flags clear. */
#define IB_UF_QUIET() feclearexcept(FE_ALL_EXCEPT)

/* 1/ln 2 = hi + lo, hi the nearest double, lo the nearest double to the
 * rest. */
#define IB_UF_INVLN2_HI_ 1.44269504088896338700e+00   /* 0x3ff71547652b82fe */
#define IB_UF_INVLN2_LO_ 2.03552737409310331488e-17   /* 0x3c7777d0ffda0d24 */

/* log2(x / (w + l)) + koff: ib_log_ratio_f64's method (same split, same
 * s and polynomial), with the exponent part k + koff kept apart and the
 * rest t = log((1 + s)/(1 - s)) scaled by 1/ln 2, so an exact power-of-two
 * ratio gives an exact integer. */
static inline IB_VM_ALWAYS_INLINE_ double ib_uf_log2_ratio_(double x, double w, double l,
                                                           double r, double koff)
{
    uint64_t t  = ib_vm_asu64_(r) - IB_VM_SQRTH_BITS_;
    uint64_t kb = (t + (1024ULL << 52)) >> 52;
    double kd = ib_vm_asf64_(0x4330000000000000ULL | kb) - (IB_VM_TWO52_ + 1024.0);
    double up = ib_vm_asf64_((kb - 1) << 52);
    double b = w * up;
    double num = (x - b) - l * up;
    double s  = num / (x + b);
    double sR = ib_vm_slogpoly_(s);
    /* (2s + sR) / ln 2 without rounding 2s + sR first: the leading product
     * 2s * hi is split exactly (Dekker; |2s| >= 2^-110 when nonzero, far
     * above the product's underflow limit), the small terms are added to
     * its error, and the whole rounds once */
    double t2 = 2.0 * s;
    double h  = t2 * IB_UF_INVLN2_HI_;
    double hl = ib_two_prod_lo_f64(t2, IB_UF_INVLN2_HI_, h);
    double lo = hl + (t2 * IB_UF_INVLN2_LO_ + sR * IB_UF_INVLN2_HI_);
    return (kd + koff) + (h + lo);
}

#define IB_PATH_BODY "ib_ufuncs_path.h"
#include "ib_per_path.h"

/* ------------------------------------------------------------- gather -- */

#define IB_UF_LOADERS(T, TS)                                                  \
    static void ib_uf_load_##TS(const char *p, ib_ssize st, int n, double *d) \
    {                                                                         \
        for (int i = 0; i < n; i++) {                                         \
            T v;                                                              \
            memcpy(&v, p + (ib_ssize)i * st, sizeof(T));                      \
            d[i] = (double)v;                                                 \
        }                                                                     \
    }
IB_UF_LOADERS(double, d)
IB_UF_LOADERS(float, f)
IB_UF_LOADERS(int8_t, b)
IB_UF_LOADERS(uint8_t, B)
IB_UF_LOADERS(int16_t, h)
IB_UF_LOADERS(uint16_t, H)

static void ib_uf_load_bool(const char *p, ib_ssize st, int n, double *d)
{
    for (int i = 0; i < n; i++)
        d[i] = p[(ib_ssize)i * st] ? 1.0 : 0.0;
}

typedef void (*ib_uf_loader)(const char *, ib_ssize, int, double *);

static void ib_uf_store_d(char *p, ib_ssize st, int n, const double *s)
{
    if (st == (ib_ssize)sizeof(double))
        memcpy(p, s, (size_t)n * sizeof(double));
    else
        for (int i = 0; i < n; i++)
            memcpy(p + (ib_ssize)i * st, &s[i], sizeof(double));
}

static void ib_uf_store_f(char *p, ib_ssize st, int n, const double *s)
{
    for (int i = 0; i < n; i++) {
        float v = (float)s[i];
        memcpy(p + (ib_ssize)i * st, &v, sizeof(float));
    }
}

/* ---------------------------------------------------------- one input -- */

enum { IB_UF_SOFTPLUS = 0, IB_UF_LOGSIG = 1, IB_UF_SI_NATS = 2, IB_UF_SI_BITS = 3 };

static void ib_uf_block1(int kind, const double *x, double *y, int n)
{
    switch (kind) {
    case IB_UF_SOFTPLUS:
    case IB_UF_LOGSIG:
        ib_log1pexp_f64(kind == IB_UF_LOGSIG, n, x, 1, y, 1);
        break;
    case IB_UF_SI_NATS:
        IB_PICK(ib_uf_si_nats)(x, y, n);
        break;
    default:
        IB_PICK(ib_uf_si_bits)(x, y, n);
        break;
    }
}

/* kind, loader of the input type, output float (1) or double (0). */
static void ib_uf_loop1(int kind, ib_uf_loader load, int out_f, char **args,
                        const ib_ssize *dims, const ib_ssize *steps)
{
    ib_ssize n = dims[0], si = steps[0], so = steps[1];
    char *in = args[0], *out = args[1];
    double bx[IB_UF_BLOCK], by[IB_UF_BLOCK];
    /* Direct paths: the strided kernels of ib_numerics.c for softplus and
     * log_sigmoid on float64/float32, the block kernels on contiguous
     * float64 (in place included: each block is read before written). */
    if (kind <= IB_UF_LOGSIG && !out_f && load == ib_uf_load_d
        && si % (ib_ssize)sizeof(double) == 0 && so % (ib_ssize)sizeof(double) == 0
        && ((uintptr_t)in | (uintptr_t)out) % sizeof(double) == 0) {
        ib_log1pexp_f64(kind == IB_UF_LOGSIG, n, (const double *)(void *)in,
                        si / (ib_ssize)sizeof(double), (double *)(void *)out,
                        so / (ib_ssize)sizeof(double));
        return;
    }
    if (kind <= IB_UF_LOGSIG && out_f && load == ib_uf_load_f
        && si % (ib_ssize)sizeof(float) == 0 && so % (ib_ssize)sizeof(float) == 0
        && ((uintptr_t)in | (uintptr_t)out) % sizeof(float) == 0) {
        ib_log1pexp_f32(kind == IB_UF_LOGSIG, n, (const float *)(void *)in,
                        si / (ib_ssize)sizeof(float), (float *)(void *)out,
                        so / (ib_ssize)sizeof(float));
        return;
    }
    int contig = !out_f && load == ib_uf_load_d && si == (ib_ssize)sizeof(double)
                 && so == (ib_ssize)sizeof(double)
                 && ((uintptr_t)in | (uintptr_t)out) % sizeof(double) == 0;
    for (ib_ssize k = 0; k < n; k += IB_UF_BLOCK) {
        int m = (int)((n - k) < IB_UF_BLOCK ? (n - k) : IB_UF_BLOCK);
        if (contig) {
            ib_uf_block1(kind, (const double *)(void *)(in + k * si),
                         (double *)(void *)(out + k * so), m);
            continue;
        }
        load(in + k * si, si, m, bx);
        ib_uf_block1(kind, bx, by, m);
        if (out_f)
            ib_uf_store_f(out + k * so, so, m, by);
        else
            ib_uf_store_d(out + k * so, so, m, by);
    }
}

#define IB_UF_DEF1(NAME, KIND)                                                \
    void ib_uf_##NAME##_d(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_d, 0, a, d, s); IB_UF_QUIET(); }              \
    void ib_uf_##NAME##_f(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_f, 1, a, d, s); IB_UF_QUIET(); }              \
    void ib_uf_##NAME##_bool(char **a, const ib_ssize *d, const ib_ssize *s,  \
                             void *data)                                      \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_bool, 0, a, d, s); IB_UF_QUIET(); }           \
    void ib_uf_##NAME##_b(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_b, 0, a, d, s); IB_UF_QUIET(); }              \
    void ib_uf_##NAME##_B(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_B, 0, a, d, s); IB_UF_QUIET(); }              \
    void ib_uf_##NAME##_h(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_h, 0, a, d, s); IB_UF_QUIET(); }              \
    void ib_uf_##NAME##_H(char **a, const ib_ssize *d, const ib_ssize *s,     \
                          void *data)                                         \
    { (void)data; ib_uf_loop1(KIND, ib_uf_load_H, 0, a, d, s); IB_UF_QUIET(); }

IB_UF_DEF1(log1pexp, IB_UF_SOFTPLUS)
IB_UF_DEF1(log_sigmoid, IB_UF_LOGSIG)
IB_UF_DEF1(si_nats, IB_UF_SI_NATS)
IB_UF_DEF1(si_bits, IB_UF_SI_BITS)

/* -------------------------------------------------------- three inputs -- */

static void ib_uf_loop3(int bits, ib_uf_loader load, int out_f, char **args,
                        const ib_ssize *dims, const ib_ssize *steps)
{
    ib_ssize n = dims[0];
    double buf[4][IB_UF_BLOCK];
    /* Per operand: read in place (contiguous, aligned float64), filled once
     * (stride 0: a broadcast marginal, float64 or not), or gathered. */
    int direct[4], fixed[3];
    for (int j = 0; j < 4; j++) {
        direct[j] = !out_f && load == ib_uf_load_d && steps[j] == (ib_ssize)sizeof(double)
                    && (uintptr_t)args[j] % sizeof(double) == 0;
        if (j < 3) {
            fixed[j] = steps[j] == 0;
            if (fixed[j]) {
                load(args[j], 0, 1, buf[j]);
                for (int i = 1; i < IB_UF_BLOCK; i++)
                    buf[j][i] = buf[j][0];
            }
        }
    }
    for (ib_ssize k = 0; k < n; k += IB_UF_BLOCK) {
        int m = (int)((n - k) < IB_UF_BLOCK ? (n - k) : IB_UF_BLOCK);
        const double *src[3];
        for (int j = 0; j < 3; j++) {
            if (direct[j])
                src[j] = (const double *)(const void *)(args[j] + k * steps[j]);
            else {
                if (!fixed[j])
                    load(args[j] + k * steps[j], steps[j], m, buf[j]);
                src[j] = buf[j];
            }
        }
        double *dst = direct[3] ? (double *)(void *)(args[3] + k * steps[3]) : buf[3];
        IB_PICK(ib_uf_pmi)(src[0], src[1], src[2], dst, m, bits);
        if (!direct[3]) {
            if (out_f)
                ib_uf_store_f(args[3] + k * steps[3], steps[3], m, buf[3]);
            else
                ib_uf_store_d(args[3] + k * steps[3], steps[3], m, buf[3]);
        }
    }
}

void ib_uf_pmi_nats_d(char **a, const ib_ssize *d, const ib_ssize *s, void *data)
{ (void)data; ib_uf_loop3(0, ib_uf_load_d, 0, a, d, s); IB_UF_QUIET(); }
void ib_uf_pmi_nats_f(char **a, const ib_ssize *d, const ib_ssize *s, void *data)
{ (void)data; ib_uf_loop3(0, ib_uf_load_f, 1, a, d, s); IB_UF_QUIET(); }
void ib_uf_pmi_bits_d(char **a, const ib_ssize *d, const ib_ssize *s, void *data)
{ (void)data; ib_uf_loop3(1, ib_uf_load_d, 0, a, d, s); IB_UF_QUIET(); }
void ib_uf_pmi_bits_f(char **a, const ib_ssize *d, const ib_ssize *s, void *data)
{ (void)data; ib_uf_loop3(1, ib_uf_load_f, 1, a, d, s); IB_UF_QUIET(); }
