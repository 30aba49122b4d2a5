/*
 * ib_vmath.h -- branch-free, auto-vectorisable double-precision log, exp
 * and log1p for the infobits compiled core.
 *
 *   static inline double ib_log_f64(double x);
 *   static inline double ib_exp_f64(double x);
 *   static inline double ib_log1p_f64(double x);
 *
 * Design rules
 * ------------
 *  - Every function is straight-line code: only + - * /, comparisons that
 *    feed selects (c ? a : b) and 64-bit integer bit manipulation (add, sub,
 *    and, or, logical shifts) on the IEEE-754 representation, obtained with
 *    memcpy.  No libm calls, no fma(), no tables, no data-dependent branches.
 *    gcc 12 (-O3 -fno-math-errno -fno-trapping-math) vectorises a plain loop
 *    calling these functions both for the x86-64 baseline (SSE2) and for
 *    -march=x86-64-v3 (AVX2).  Only integer operations that exist in SSE2 are
 *    used (no 64-bit arithmetic shifts, no 64-bit integer compares, no
 *    int64 <-> double conversions: integers are converted with the
 *    "2^52 magic constant" trick instead).
 *  - Special inputs (0, negative, inf, NaN, out-of-range) are computed
 *    through the generic path, which may then produce garbage in that lane,
 *    and are fixed up by selects at the end.  This is why the code must not
 *    be compiled with flags that assume finite math (-ffast-math,
 *    -ffinite-math-only): the NaN / infinity selects would be removed.
 *    Those lanes may also raise floating-point exception flags (invalid,
 *    overflow, inexact); the functions give no guarantee about the flags,
 *    so compile with -fno-trapping-math (which also helps if-conversion)
 *    and -fno-math-errno.
 *  - Reproducibility: every operation is a correctly rounded IEEE operation,
 *    so the results are bitwise identical for the scalar, SSE2 and AVX2 code
 *    paths PROVIDED that the compiler does not contract a*b+c into an FMA.
 *    Compile with -ffp-contract=off (gcc's default in GNU C mode is
 *    -ffp-contract=fast, which would create FMAs under -march=x86-64-v3).
 *    The Cody-Waite reductions below are written for separately rounded
 *    multiply and add.
 *
 * Accuracy, measured against mpmath (200 bits, rounded to the nearest double,
 * subnormals included) on 4e5 points per function over the whole domain
 * (tests/test_vmath.py runs a reduced version of this check):
 *   ib_log_f64    max 1 ulp from the correctly rounded result (max true
 *                 error 0.82 ulp), ~98% correctly rounded
 *   ib_exp_f64    max 1 ulp (max true error 0.86 ulp), ~92% correctly rounded
 *   ib_log1p_f64  max 1 ulp (max true error 0.83 ulp), ~98% correctly rounded
 *
 * Performance note: each function is ~40-60 vector instructions with one or
 * two divisions; a 10^7-element loop runs at roughly 5-7.5 ns/element on an
 * AMD EPYC Zen 1 (AVX2 executed as 2x128 bit) with -march=x86-64-v3, i.e.
 * about 1.2x (log) to 2.5x (exp, log1p) faster than glibc's scalar
 * functions on that machine.
 *
 * The algorithms and the polynomial coefficients are those of Sun's fdlibm
 * (e_log.c, e_exp.c, s_log1p.c):
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunSoft, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely
 *   granted, provided that this notice is preserved.
 */
#ifndef IB_VMATH_H
#define IB_VMATH_H

#include <stdint.h>
#include <string.h>

/* All functions are static inline; with GNU C they are also always_inline,
 * because a loop only vectorises if the call is inlined into it (gcc may
 * otherwise judge a call "cold" or too big and leave an out-of-line call).
 * Inlining into a function compiled under "#pragma GCC target(avx2...)" is
 * allowed (the callee's ISA is a subset of the caller's), and the inlined
 * copy is then compiled for that target. */
#if defined(__GNUC__)
#define IB_VM_ALWAYS_INLINE_ __attribute__((always_inline))
#else
#define IB_VM_ALWAYS_INLINE_
#endif

/* ------------------------------------------------------------------------ */
/* bit casts (memcpy is the portable, alias-safe way; gcc turns it into a   */
/* plain register reinterpretation and vectorises it)                        */
/* ------------------------------------------------------------------------ */
static inline IB_VM_ALWAYS_INLINE_ uint64_t ib_vm_asu64_(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline IB_VM_ALWAYS_INLINE_ double ib_vm_asf64_(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Special values built from their bit patterns, so <math.h> is not needed. */
#define IB_VM_INF_   0x7ff0000000000000ULL   /* +inf                        */
#define IB_VM_QNAN_  0x7ff8000000000000ULL   /* default quiet NaN (+)       */

/* Powers of two and other exact constants, written as decimal literals so
 * that the header also compiles as C++ before C++17 (no hex floats there). */
#define IB_VM_TWO52_     4503599627370496.0          /* 0x1p52                 */
#define IB_VM_TWO54_     18014398509481984.0         /* 0x1p54                 */
#define IB_VM_SHIFTER_   6755399441055744.0          /* 0x1.8p52               */
#define IB_VM_DBL_MIN_   2.2250738585072013831e-308  /* 0x1p-1022              */
#define IB_VM_SQRTH_     7.0710678118654757274e-01   /* 0x1.6a09e667f3bcdp-1   */

/* ln2 split for Cody-Waite: ln2_hi has 32 significant bits (21 trailing zero
 * bits), so k*ln2_hi is exact for |k| < 2^21. */
#define IB_VM_LN2_HI_  6.93147180369123816490e-01  /* 0x3fe62e42 fee00000 */
#define IB_VM_LN2_LO_  1.90821492927058770002e-10  /* 0x3dea39ef 35793c76 */

/* fdlibm Lg1..Lg7 (== Lp1..Lp7 of s_log1p.c): with s = f/(2+f), z = s^2,
 *   log(1+f) = 2s + s*R(z),  R(z) = Lg1*z + Lg2*z^2 + ... + Lg7*z^7
 * (minimax on |s| <= 0.1716, |error of R| <= 2^-58.45). */
#define IB_VM_LG1_ 6.666666666666735130e-01  /* 3FE55555 55555593 */
#define IB_VM_LG2_ 3.999999999940941908e-01  /* 3FD99999 9997FA04 */
#define IB_VM_LG3_ 2.857142874366239149e-01  /* 3FD24924 94229359 */
#define IB_VM_LG4_ 2.222219843214978396e-01  /* 3FCC71C5 1D8E78AF */
#define IB_VM_LG5_ 1.818357216161805012e-01  /* 3FC74664 96CB03DE */
#define IB_VM_LG6_ 1.531383769920937332e-01  /* 3FC39A09 D078C69F */
#define IB_VM_LG7_ 1.479819860511658591e-01  /* 3FC2F112 DF3E5244 */

/* Bits of sqrt(2)/2.  Subtracting this from the bits of a positive normal
 * double x = 2^e * 1.mant gives, in bits 52..63, the exponent k such that
 * x = 2^k * m with m in [sqrt(2)/2, sqrt(2)). */
#define IB_VM_SQRTH_BITS_ 0x3fe6a09e667f3bcdULL

/* Exponent/mantissa split shared by log and log1p.
 *
 * Input: the bit pattern ix of a positive, normal, finite double u, and
 * kbias = 2^52 + 1024 (+ 54 when u was prescaled by 2^54).
 * Output: *kd = k (an exact double) and *m where u = 2^k * m,
 * m in [sqrt(2)/2, sqrt(2)).
 *
 * No 64-bit arithmetic shift and no int64 -> double conversion (neither
 * exists in SSE2/AVX2) is needed:
 *   t  = ix - bits(sqrt(2)/2)         bits 52..63 of t = k (two's complement)
 *   kb = (t + (1024 << 52)) >> 52     = k + 1024, in [0, 4096)
 *   kd = double(bits 0x433... | kb) - (2^52 + 1024)       (exact)
 *   m  = double(ix - (t & 0xfff0...0))  i.e. k removed from the exponent
 */
static inline IB_VM_ALWAYS_INLINE_ void ib_vm_split_(uint64_t ix, double kbias, double *kd, double *m)
{
    uint64_t t  = ix - IB_VM_SQRTH_BITS_;
    uint64_t kb = (t + (1024ULL << 52)) >> 52;
    *kd = ib_vm_asf64_(0x4330000000000000ULL | kb) - kbias;
    *m  = ib_vm_asf64_(ix - (t & 0xfff0000000000000ULL));
}

/* s*R(z), z = s^2, with R(z) = z*(Lg1 + Lg2 z + ... + Lg7 z^6) of fdlibm.
 * (The evaluation order differs from fdlibm; R only enters the result
 * through the small term s*R, so this does not affect the error bound.)
 * Evaluated with Estrin's scheme, and s*z formed in parallel, to keep the
 * dependency chain short: on CPUs whose out-of-order window is small
 * compared to the length of one call (e.g. AMD Zen 1 with 256-bit vectors)
 * the throughput of a vectorised loop is limited by this latency. */
static inline IB_VM_ALWAYS_INLINE_ double ib_vm_slogpoly_(double s)
{
    double z  = s * s;
    double z2 = z * z;
    double z4 = z2 * z2;
    double p  = (IB_VM_LG1_ + z * IB_VM_LG2_) + z2 * (IB_VM_LG3_ + z * IB_VM_LG4_);
    double q  = (IB_VM_LG5_ + z * IB_VM_LG6_) + z2 * IB_VM_LG7_;
    return (s * z) * (p + z4 * q);
}

/* ------------------------------------------------------------------------ */
/* log                                                                       */
/* ------------------------------------------------------------------------ */
/*
 * Method (fdlibm e_log.c, made branch-free):
 *  1. Subnormals: if x < 2^-1022, x is multiplied by 2^54 (exact) and 54 is
 *     subtracted from k (through the bias passed to ib_vm_split_).  Done
 *     with selects in every lane.
 *  2. x = 2^k * m, m in [sqrt(2)/2, sqrt(2)), f = m - 1 (exact).
 *  3. s = f/(2+f) (2+f == m+1 exactly, computed as m+1 in parallel with f),
 *     log(1+f) = 2s + 2/3 s^3 + ... = f - hfsq + s*(hfsq + R),
 *     hfsq = f*f/2, R = R(s^2) the Lg polynomial.
 *  4. log(x) = k*ln2_hi - (((hfsq - (s*hfsq + k*ln2_lo)) - s*R) - f),
 *     k*ln2_hi exact, small terms summed first.  This is fdlibm's
 *     "hfsq" form (which fdlibm uses in part of the range; it is at least as
 *     accurate as the cheaper form used elsewhere) with s*(hfsq+R) split
 *     so that only s*R sits on the critical path.
 * Special values (one select at the end; x is valid iff 0 < x < +inf):
 *   log(+-0) = -inf, log(x < 0) = NaN (x*inf + inf = -inf + inf),
 *   log(+inf) = +inf (inf*inf + inf), log(NaN) = NaN (payload kept),
 *   log(1) = +0 exactly (k = 0, f = 0).
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_log_f64(double x)
{
    const double inf = ib_vm_asf64_(IB_VM_INF_);

    /* 1. subnormal prescaling (also taken by x <= 0 lanes: harmless) */
    int sub      = x < IB_VM_DBL_MIN_;
    double xs    = sub ? x * IB_VM_TWO54_ : x;
    double kbias = sub ? IB_VM_TWO52_ + 1078.0 : IB_VM_TWO52_ + 1024.0;

    /* 2. reduction */
    double kd, m;
    ib_vm_split_(ib_vm_asu64_(xs), kbias, &kd, &m);
    double f = m - 1.0;

    /* 3. s, hfsq and s*R */
    double s    = f / (m + 1.0);
    double hfsq = 0.5 * f * f;
    double sR   = ib_vm_slogpoly_(s);

    /* 4. recombination */
    double a = hfsq - (s * hfsq + kd * IB_VM_LN2_LO_);
    double r = kd * IB_VM_LN2_HI_ - ((a - sR) - f);

    /* special values */
    double sp = (x == 0.0) ? -inf : x * inf + inf;
    int ok = (x > 0.0) & (x < inf);
    return ok ? r : sp;
}

/* ------------------------------------------------------------------------ */
/* exp                                                                       */
/* ------------------------------------------------------------------------ */
#define IB_VM_INVLN2_  1.44269504088896338700e+00  /* 0x3ff71547 652b82fe */
/* fdlibm thresholds: exp(x) overflows for x > O, underflows to 0 for x < U */
#define IB_VM_EXP_O_   7.09782712893383973096e+02  /* 0x40862E42 FEFA39EF */
#define IB_VM_EXP_U_  -7.45133219101941108420e+02  /* 0xc0874910 D52D3051 */
#define IB_VM_P1_  1.66666666666666019037e-01  /* 0x3FC55555 5555553E */
#define IB_VM_P2_ -2.77777777770155933842e-03  /* 0xBF66C16C 16BEBD93 */
#define IB_VM_P3_  6.61375632143793436117e-05  /* 0x3F11566A AF25DE2C */
#define IB_VM_P4_ -1.65339022054652515390e-06  /* 0xBEBBBD41 C5D26BF1 */
#define IB_VM_P5_  4.13813679705723846039e-08  /* 0x3E663769 72BEA4D0 */

/*
 * Method (fdlibm e_exp.c, made branch-free):
 *  1. k = round-to-nearest-even(x/ln2) with the shifter trick: adding
 *     0x1.8p52 to x/ln2 rounds it to an integer and leaves k in the low
 *     mantissa bits (two's complement); subtracting the shifter again gives
 *     k as an exact double.  hi = x - k*ln2_hi is exact, lo = k*ln2_lo,
 *     r = hi - lo, |r| <= 0.5*ln2 (+ tiny).
 *     Lanes with |x| too large (or inf/NaN) produce garbage here; they are
 *     overwritten at the end (no clamping is needed, the integer bit
 *     manipulations cannot trap).
 *  2. exp(r) = 1 + r + r*c/(2-c), c = r - r^2*(P1 + r^2*(P2 + ... P5))
 *     (P evaluated with Estrin's scheme), computed as
 *     y = 1 - ((lo - (r*c)/(2-c)) - hi), y in [0.7, 1.42].
 *  3. exp(x) = y * 2^k with 2^k = 2^k1 * 2^k2, k1 = floor(k/2), k2 = k - k1.
 *     For k in [-1075, 1024] both factors are normal doubles; y*2^k1 is
 *     exact and the second multiplication rounds once, so results in the
 *     gradual-underflow range are rounded once (no double rounding) and
 *     exp(709.78) does not overflow prematurely.
 * Special values: exp(x > 709.78...) = +inf (incl. +inf),
 *   exp(x < -745.13...) = +0 (incl. -inf), exp(NaN) = NaN (payload kept),
 *   exp(+-0) = 1 exactly (k = 0, r = 0, c = 0, y = 1).
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_exp_f64(double x)
{
    const double inf   = ib_vm_asf64_(IB_VM_INF_);
    const double shift = IB_VM_SHIFTER_;

    /* 1. reduction */
    double kt = x * IB_VM_INVLN2_ + shift;      /* never contracted: see top */
    uint64_t ki = ib_vm_asu64_(kt);             /* 0x4338000000000000 + k    */
    double kd = kt - shift;                     /* k, exact                  */
    double hi = x - kd * IB_VM_LN2_HI_;
    double lo = kd * IB_VM_LN2_LO_;
    double r  = hi - lo;

    /* 2. exp(r) */
    double t  = r * r;
    double t2 = t * t;
    double P  = ((IB_VM_P1_ + t * IB_VM_P2_) + t2 * (IB_VM_P3_ + t * IB_VM_P4_))
              + (t2 * t2) * IB_VM_P5_;
    double c  = r - t * P;
    double y  = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);

    /* 3. scale by 2^k1 * 2^k2.  kb = k + 2048 (positive for every lane that
     *    is not overwritten below, so only logical shifts are needed);
     *    biased exponents e1 = k1 + 1023 = (kb >> 1) - 1,
     *    e2 = k - k1 + 1023 = kb - (kb >> 1) - 1. */
    uint64_t kb = ki - (0x4338000000000000ULL - 2048ULL);
    uint64_t h  = kb >> 1;
    double s1 = ib_vm_asf64_((h - 1ULL) << 52);
    double s2 = ib_vm_asf64_((kb - h - 1ULL) << 52);
    double res = (y * s1) * s2;

    /* special values */
    res = (x < IB_VM_EXP_U_) ? 0.0 : res;
    res = (x > IB_VM_EXP_O_) ? inf : res;
    /* NaN: both compares are false; the NaN propagates through every
     * floating-point operation above (s1, s2 built from the garbage k bits
     * are never NaN), so x's quieted NaN comes out. */
    return res;
}

/* ------------------------------------------------------------------------ */
/* log1p                                                                     */
/* ------------------------------------------------------------------------ */
/*
 * Method (fdlibm s_log1p.c, made branch-free):
 *  1. u = 1 + x (rounded), u = 2^k * m, m in [sqrt(2)/2, sqrt(2)).
 *     (For x > -1, u >= 2^-53 is normal, so no subnormal handling.)
 *  2. If k == 0 (u in [sqrt(2)/2, sqrt(2)), i.e. x in about
 *     [-0.2929, 0.4142)): f = x exactly, no correction.
 *     Otherwise f = m - 1 (exact) and the rounding error of u is carried as
 *     c = ((1+x) - u)/u, where (1+x) - u is computed exactly:
 *         u <  2 : x - (u - 1)      (u - 1 exact by Sterbenz)
 *         u >= 2 : 1 - (u - x)      (u - x exact by Sterbenz)
 *     so log1p(x) = k*ln2 + log(1+f) + c to first order in c.
 *  3. log(1+f) as in ib_log_f64 (same Lg == Lp polynomial):
 *     log1p(x) = k*ln2_hi - (((hfsq - (s*hfsq + (k*ln2_lo + c))) - s*R) - f).
 *     For tiny |x| this collapses to x - x^2/2 and to x itself for
 *     |x| < 2^-54 (subnormal x included) without a special case.
 * Special values (one select at the end; x valid iff -1 < x < inf, x != 0):
 *   log1p(+-0) = +-0 (sign kept), log1p(-1) = -inf, log1p(x < -1) = NaN,
 *   log1p(-inf) = NaN, log1p(+inf) = +inf, log1p(NaN) = NaN (payload kept).
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_log1p_f64(double x)
{
    const double inf = ib_vm_asf64_(IB_VM_INF_);
    const double nan = ib_vm_asf64_(IB_VM_QNAN_);
    const double sqh = IB_VM_SQRTH_;             /* == bits IB_VM_SQRTH_BITS_ */

    /* 1. reduction of u = 1 + x */
    double u = 1.0 + x;
    double kd, m;
    ib_vm_split_(ib_vm_asu64_(u), IB_VM_TWO52_ + 1024.0, &kd, &m);
    int k0 = (u >= sqh) & (u < 2.0 * sqh);      /* k == 0, decided early  */

    /* 2. f, 2+f and the exact correction term */
    double f = k0 ? x : m - 1.0;
    double d = k0 ? 2.0 + x : m + 1.0;          /* == 2+f, rounded        */
    double c = (u >= 2.0) ? 1.0 - (u - x) : x - (u - 1.0);
    c = (k0 ? 0.0 : c) / u;

    /* 3. polynomial and recombination */
    double s    = f / d;
    double hfsq = 0.5 * f * f;
    double sR   = ib_vm_slogpoly_(s);
    double a = hfsq - (s * hfsq + (kd * IB_VM_LN2_LO_ + c));
    double r = kd * IB_VM_LN2_HI_ - ((a - sR) - f);

    /* special values */
    double sp = (x == -1.0) ? -inf : x + x;     /* +-0, +inf, NaN         */
    sp = (x < -1.0) ? nan : sp;
    int ok = (x > -1.0) & (x < inf) & (x != 0.0);
    return ok ? r : sp;
}

#endif /* IB_VMATH_H */
