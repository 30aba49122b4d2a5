/*
 * ib_vmath.h -- branch-free, auto-vectorisable double-precision log, exp
 * and log1p for the infobits compiled core.
 *
 *   static inline double ib_log_f64(double x);
 *   static inline double ib_log_pos_f64(double x);   (x normal, positive)
 *   static inline double ib_exp_f64(double x);
 *   static inline double ib_exp_scaled_f64(double x);  (exp(x) * 2^512, x <= 0)
 *   static inline double ib_exp16_scaled_f64(double x);  (the same, 16-entry table)
 *   static inline double ib_log1p_f64(double x);
 *   static inline double ib_log_ratio_f64(x, w, l, r, koff, has_l, has_koff);
 *                                 log(x/(w+l)) + koff ln2, r = x/w
 *   static inline double ib_two_prod_lo_f64(a, b, p);  a*b - fl(a*b), exact (Dekker)
 *   static inline float  ib_exp_f32(float x);     (single precision, at the end)
 *   static inline float  ib_exp_diff_f32(float x, float m);   exp(x - m), x <= m, exact x - m
 *
 * Design rules
 * ------------
 *  - Every function is straight-line code: only + - * /, comparisons that
 *    feed selects (c ? a : b) and 64-bit integer bit manipulation (add, sub,
 *    and, or, logical shifts) on the IEEE-754 representation, obtained with
 *    memcpy.  No libm calls, no fma() (but ib_two_prod_lo_fma_f64, for FMA
 *    targets, exact), no data-dependent branches; exp reads
 *    one 2 KiB table (index always in range).  gcc 12 (-O3 -fno-math-errno
 *    -fno-trapping-math) vectorises a plain loop calling log/log1p both for
 *    the x86-64 baseline (SSE2) and for -march=x86-64-v3 (AVX2); exp loops
 *    vectorise on x86-64-v3 (table loads become gathers) and run scalar on
 *    the SSE2 baseline, which has no gather.  Only integer operations that exist in SSE2 are
 *    used (no 64-bit arithmetic shifts, no 64-bit integer compares, no
 *    int64 <-> double conversions: integers are converted with the
 *    "2^52 magic constant" trick instead).
 *  - Special inputs (0, negative, inf, NaN, out-of-range) are computed
 *    through the generic path, which may then produce garbage in that lane,
 *    and are fixed up by selects at the end.  This is why the code must not
 *    be compiled with flags that assume finite math (gcc's fast-math or
 *    finite-math-only options): the NaN / infinity selects would be removed.
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
 * (tests/unit/test_vmath.py runs a reduced version of this check):
 *   ib_log_f64    max 1 ulp from the correctly rounded result (max true
 *                 error 0.82 ulp), ~98% correctly rounded
 *   ib_exp_f64    max 1 ulp (max true error 0.75 ulp), ~99.8% correctly
 *                 rounded (table-driven version)
 *   ib_log1p_f64  max 1 ulp (max true error 0.83 ulp), ~98% correctly rounded
 *
 * Performance note: log and log1p are ~40-60 vector instructions with one
 * division; on an AMD EPYC Zen 1 (AVX2 executed as 2x128 bit) with
 * -march=x86-64-v3 log runs at about 5 ns/element (1.2x glibc's scalar log),
 * log1p about 7 ns; the table-driven exp at about 4 ns/element in L1
 * (glibc scalar: 13 ns).
 *
 * log and log1p follow Sun's fdlibm (e_log.c, s_log1p.c), whose notice
 * follows; exp follows the design of ARM's optimized-routines exp.c (table
 * of 2^(j/128), polynomial coefficients C2..C5), table regenerated here:
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
/* Steps 2-4 for a positive, normal, finite u = x (or x * 2^54, see kbias). */
static inline IB_VM_ALWAYS_INLINE_ double ib_vm_log_core_(double u, double kbias)
{
    /* 2. reduction */
    double kd, m;
    ib_vm_split_(ib_vm_asu64_(u), kbias, &kd, &m);
    double f = m - 1.0;

    /* 3. s, hfsq and s*R */
    double s    = f / (m + 1.0);
    double hfsq = 0.5 * f * f;
    double sR   = ib_vm_slogpoly_(s);

    /* 4. recombination */
    double a = hfsq - (s * hfsq + kd * IB_VM_LN2_LO_);
    return kd * IB_VM_LN2_HI_ - ((a - sR) - f);
}

static inline IB_VM_ALWAYS_INLINE_ double ib_log_f64(double x)
{
    const double inf = ib_vm_asf64_(IB_VM_INF_);

    /* 1. subnormal prescaling (also taken by x <= 0 lanes: harmless) */
    int sub      = x < IB_VM_DBL_MIN_;
    double xs    = sub ? x * IB_VM_TWO54_ : x;
    double kbias = sub ? IB_VM_TWO52_ + 1078.0 : IB_VM_TWO52_ + 1024.0;

    double r = ib_vm_log_core_(xs, kbias);

    /* special values */
    double sp = (x == 0.0) ? -inf : x * inf + inf;
    int ok = (x > 0.0) & (x < inf);
    return ok ? r : sp;
}

/* log(x) for x known to be positive, normal and finite (2^-1022 <= x <=
 * DBL_MAX): steps 2-4 only, about a third fewer operations than ib_log_f64
 * and bitwise equal to it on that domain.  Any other x (0, subnormal,
 * negative, inf, NaN) gives a finite but meaningless value; in particular
 * ib_log_pos_f64(+-0) is finite, so 0 * ib_log_pos_f64(0) == +-0.  Callers
 * check the domain first (see the reduction kernels' per-block scans). */
static inline IB_VM_ALWAYS_INLINE_ double ib_log_pos_f64(double x)
{
    return ib_vm_log_core_(x, IB_VM_TWO52_ + 1024.0);
}

/* ------------------------------------------------------------------------ */
/* exp                                                                       */
/* ------------------------------------------------------------------------ */
/* fdlibm thresholds: exp(x) overflows for x > O, underflows to 0 for x < U */
#define IB_VM_EXP_O_   7.09782712893383973096e+02  /* 0x40862E42 FEFA39EF */
#define IB_VM_EXP_U_  -7.45133219101941108420e+02  /* 0xc0874910 D52D3051 */

/* 2^(j/128), j = 0..127, as pairs {tail, sbits} (the layout of ARM's
 * optimized-routines exp): H_j = 2^(j/128) rounded to double,
 * tail_j = (2^(j/128) - H_j) / H_j rounded, sbits_j = bits(H_j) - (j << 45),
 * so that sbits_j + (k << 45) is bits(H_j * 2^floor(k/128)) for k = 128e + j.
 * Generated with mpmath at 200 bits. */
static const uint64_t IB_VM_EXP_TAB_[256] = {
    0x0000000000000000ULL, 0x3ff0000000000000ULL, /* j =   0 */
    0x3c9b3b4f1a88bf6eULL, 0x3feff63da9fb3335ULL, /* j =   1 */
    0xbc7160139cd8dc5dULL, 0x3fefec9a3e778061ULL, /* j =   2 */
    0xbc905e7a108766d1ULL, 0x3fefe315e86e7f85ULL, /* j =   3 */
    0x3c8cd2523567f613ULL, 0x3fefd9b0d3158574ULL, /* j =   4 */
    0xbc8bce8023f98efaULL, 0x3fefd06b29ddf6deULL, /* j =   5 */
    0x3c60f74e61e6c861ULL, 0x3fefc74518759bc8ULL, /* j =   6 */
    0x3c90a3e45b33d399ULL, 0x3fefbe3ecac6f383ULL, /* j =   7 */
    0x3c979aa65d837b6dULL, 0x3fefb5586cf9890fULL, /* j =   8 */
    0x3c8eb51a92fdeffcULL, 0x3fefac922b7247f7ULL, /* j =   9 */
    0x3c3ebe3d702f9cd1ULL, 0x3fefa3ec32d3d1a2ULL, /* j =  10 */
    0xbc6a033489906e0bULL, 0x3fef9b66affed31bULL, /* j =  11 */
    0xbc9556522a2fbd0eULL, 0x3fef9301d0125b51ULL, /* j =  12 */
    0xbc5080ef8c4eea55ULL, 0x3fef8abdc06c31ccULL, /* j =  13 */
    0xbc91c923b9d5f416ULL, 0x3fef829aaea92de0ULL, /* j =  14 */
    0x3c80d3e3e95c55afULL, 0x3fef7a98c8a58e51ULL, /* j =  15 */
    0xbc801b15eaa59348ULL, 0x3fef72b83c7d517bULL, /* j =  16 */
    0xbc8f1ff055de323dULL, 0x3fef6af9388c8deaULL, /* j =  17 */
    0x3c8b898c3f1353bfULL, 0x3fef635beb6fcb75ULL, /* j =  18 */
    0xbc96d99c7611eb26ULL, 0x3fef5be084045cd4ULL, /* j =  19 */
    0x3c9aecf73e3a2f60ULL, 0x3fef54873168b9aaULL, /* j =  20 */
    0xbc8fe782cb86389dULL, 0x3fef4d5022fcd91dULL, /* j =  21 */
    0x3c8a6f4144a6c38dULL, 0x3fef463b88628cd6ULL, /* j =  22 */
    0x3c807a05b0e4047dULL, 0x3fef3f49917ddc96ULL, /* j =  23 */
    0x3c968efde3a8a894ULL, 0x3fef387a6e756238ULL, /* j =  24 */
    0x3c875e18f274487dULL, 0x3fef31ce4fb2a63fULL, /* j =  25 */
    0x3c80472b981fe7f2ULL, 0x3fef2b4565e27cddULL, /* j =  26 */
    0xbc96b87b3f71085eULL, 0x3fef24dfe1f56381ULL, /* j =  27 */
    0x3c82f7e16d09ab31ULL, 0x3fef1e9df51fdee1ULL, /* j =  28 */
    0xbc3d219b1a6fbffaULL, 0x3fef187fd0dad990ULL, /* j =  29 */
    0x3c8b3782720c0ab4ULL, 0x3fef1285a6e4030bULL, /* j =  30 */
    0x3c6e149289cecb8fULL, 0x3fef0cafa93e2f56ULL, /* j =  31 */
    0x3c834d754db0abb6ULL, 0x3fef06fe0a31b715ULL, /* j =  32 */
    0x3c864201e2ac744cULL, 0x3fef0170fc4cd831ULL, /* j =  33 */
    0x3c8fdd395dd3f84aULL, 0x3feefc08b26416ffULL, /* j =  34 */
    0xbc86a3803b8e5b04ULL, 0x3feef6c55f929ff1ULL, /* j =  35 */
    0xbc924aedcc4b5068ULL, 0x3feef1a7373aa9cbULL, /* j =  36 */
    0xbc9907f81b512d8eULL, 0x3feeecae6d05d866ULL, /* j =  37 */
    0xbc71d1e83e9436d2ULL, 0x3feee7db34e59ff7ULL, /* j =  38 */
    0xbc991919b3ce1b15ULL, 0x3feee32dc313a8e5ULL, /* j =  39 */
    0x3c859f48a72a4c6dULL, 0x3feedea64c123422ULL, /* j =  40 */
    0xbc9312607a28698aULL, 0x3feeda4504ac801cULL, /* j =  41 */
    0xbc58a78f4817895bULL, 0x3feed60a21f72e2aULL, /* j =  42 */
    0xbc7c2c9b67499a1bULL, 0x3feed1f5d950a897ULL, /* j =  43 */
    0x3c4363ed60c2ac11ULL, 0x3feece086061892dULL, /* j =  44 */
    0x3c9666093b0664efULL, 0x3feeca41ed1d0057ULL, /* j =  45 */
    0x3c6ecce1daa10379ULL, 0x3feec6a2b5c13cd0ULL, /* j =  46 */
    0x3c93ff8e3f0f1230ULL, 0x3feec32af0d7d3deULL, /* j =  47 */
    0x3c7690cebb7aafb0ULL, 0x3feebfdad5362a27ULL, /* j =  48 */
    0x3c931dbdeb54e077ULL, 0x3feebcb299fddd0dULL, /* j =  49 */
    0xbc8f94340071a38eULL, 0x3feeb9b2769d2ca7ULL, /* j =  50 */
    0xbc87deccdc93a349ULL, 0x3feeb6daa2cf6642ULL, /* j =  51 */
    0xbc78dec6bd0f385fULL, 0x3feeb42b569d4f82ULL, /* j =  52 */
    0xbc861246ec7b5cf6ULL, 0x3feeb1a4ca5d920fULL, /* j =  53 */
    0x3c93350518fdd78eULL, 0x3feeaf4736b527daULL, /* j =  54 */
    0x3c7b98b72f8a9b05ULL, 0x3feead12d497c7fdULL, /* j =  55 */
    0x3c9063e1e21c5409ULL, 0x3feeab07dd485429ULL, /* j =  56 */
    0x3c34c7855019c6eaULL, 0x3feea9268a5946b7ULL, /* j =  57 */
    0x3c9432e62b64c035ULL, 0x3feea76f15ad2148ULL, /* j =  58 */
    0xbc8ce44a6199769fULL, 0x3feea5e1b976dc09ULL, /* j =  59 */
    0xbc8c33c53bef4da8ULL, 0x3feea47eb03a5585ULL, /* j =  60 */
    0xbc845378892be9aeULL, 0x3feea34634ccc320ULL, /* j =  61 */
    0xbc93cedd78565858ULL, 0x3feea23882552225ULL, /* j =  62 */
    0x3c5710aa807e1964ULL, 0x3feea155d44ca973ULL, /* j =  63 */
    0xbc93b3efbf5e2228ULL, 0x3feea09e667f3bcdULL, /* j =  64 */
    0xbc6a12ad8734b982ULL, 0x3feea012750bdabfULL, /* j =  65 */
    0xbc6367efb86da9eeULL, 0x3fee9fb23c651a2fULL, /* j =  66 */
    0xbc80dc3d54e08851ULL, 0x3fee9f7df9519484ULL, /* j =  67 */
    0xbc781f647e5a3ecfULL, 0x3fee9f75e8ec5f74ULL, /* j =  68 */
    0xbc86ee4ac08b7db0ULL, 0x3fee9f9a48a58174ULL, /* j =  69 */
    0xbc8619321e55e68aULL, 0x3fee9feb564267c9ULL, /* j =  70 */
    0x3c909ccb5e09d4d3ULL, 0x3feea0694fde5d3fULL, /* j =  71 */
    0xbc7b32dcb94da51dULL, 0x3feea11473eb0187ULL, /* j =  72 */
    0x3c94ecfd5467c06bULL, 0x3feea1ed0130c132ULL, /* j =  73 */
    0x3c65ebe1abd66c55ULL, 0x3feea2f336cf4e62ULL, /* j =  74 */
    0xbc88a1c52fb3cf42ULL, 0x3feea427543e1a12ULL, /* j =  75 */
    0xbc9369b6f13b3734ULL, 0x3feea589994cce13ULL, /* j =  76 */
    0xbc805e843a19ff1eULL, 0x3feea71a4623c7adULL, /* j =  77 */
    0xbc94d450d872576eULL, 0x3feea8d99b4492edULL, /* j =  78 */
    0x3c90ad675b0e8a00ULL, 0x3feeaac7d98a6699ULL, /* j =  79 */
    0x3c8db72fc1f0eab4ULL, 0x3feeace5422aa0dbULL, /* j =  80 */
    0xbc65b6609cc5e7ffULL, 0x3feeaf3216b5448cULL, /* j =  81 */
    0x3c7bf68359f35f44ULL, 0x3feeb1ae99157736ULL, /* j =  82 */
    0xbc93091fa71e3d83ULL, 0x3feeb45b0b91ffc6ULL, /* j =  83 */
    0xbc5da9b88b6c1e29ULL, 0x3feeb737b0cdc5e5ULL, /* j =  84 */
    0xbc6c23f97c90b959ULL, 0x3feeba44cbc8520fULL, /* j =  85 */
    0xbc92434322f4f9aaULL, 0x3feebd829fde4e50ULL, /* j =  86 */
    0xbc85ca6cd7668e4bULL, 0x3feec0f170ca07baULL, /* j =  87 */
    0x3c71affc2b91ce27ULL, 0x3feec49182a3f090ULL, /* j =  88 */
    0x3c6dd235e10a73bbULL, 0x3feec86319e32323ULL, /* j =  89 */
    0xbc87c50422622263ULL, 0x3feecc667b5de565ULL, /* j =  90 */
    0x3c8b1c86e3e231d5ULL, 0x3feed09bec4a2d33ULL, /* j =  91 */
    0xbc91bbd1d3bcbb15ULL, 0x3feed503b23e255dULL, /* j =  92 */
    0x3c90cc319cee31d2ULL, 0x3feed99e1330b358ULL, /* j =  93 */
    0x3c8469846e735ab3ULL, 0x3feede6b5579fdbfULL, /* j =  94 */
    0xbc82dfcd978e9db4ULL, 0x3feee36bbfd3f37aULL, /* j =  95 */
    0x3c8c1a7792cb3387ULL, 0x3feee89f995ad3adULL, /* j =  96 */
    0xbc907b8f4ad1d9faULL, 0x3feeee07298db666ULL, /* j =  97 */
    0xbc55c3d956dcaebaULL, 0x3feef3a2b84f15fbULL, /* j =  98 */
    0xbc90a40e3da6f640ULL, 0x3feef9728de5593aULL, /* j =  99 */
    0xbc68d6f438ad9334ULL, 0x3feeff76f2fb5e47ULL, /* j = 100 */
    0xbc91eee26b588a35ULL, 0x3fef05b030a1064aULL, /* j = 101 */
    0x3c74ffd70a5fddcdULL, 0x3fef0c1e904bc1d2ULL, /* j = 102 */
    0xbc91bdfbfa9298acULL, 0x3fef12c25bd71e09ULL, /* j = 103 */
    0x3c736eae30af0cb3ULL, 0x3fef199bdd85529cULL, /* j = 104 */
    0x3c8ee3325c9ffd94ULL, 0x3fef20ab5fffd07aULL, /* j = 105 */
    0x3c84e08fd10959acULL, 0x3fef27f12e57d14bULL, /* j = 106 */
    0x3c63cdaf384e1a67ULL, 0x3fef2f6d9406e7b5ULL, /* j = 107 */
    0x3c676b2c6c921968ULL, 0x3fef3720dcef9069ULL, /* j = 108 */
    0xbc808a1883ccb5d2ULL, 0x3fef3f0b555dc3faULL, /* j = 109 */
    0xbc8fad5d3ffffa6fULL, 0x3fef472d4a07897cULL, /* j = 110 */
    0xbc900dae3875a949ULL, 0x3fef4f87080d89f2ULL, /* j = 111 */
    0x3c74a385a63d07a7ULL, 0x3fef5818dcfba487ULL, /* j = 112 */
    0xbc82919e2040220fULL, 0x3fef60e316c98398ULL, /* j = 113 */
    0x3c8e5a50d5c192acULL, 0x3fef69e603db3285ULL, /* j = 114 */
    0x3c843a59ac016b4bULL, 0x3fef7321f301b460ULL, /* j = 115 */
    0xbc82d52107b43e1fULL, 0x3fef7c97337b9b5fULL, /* j = 116 */
    0xbc892ab93b470dc9ULL, 0x3fef864614f5a129ULL, /* j = 117 */
    0x3c74b604603a88d3ULL, 0x3fef902ee78b3ff6ULL, /* j = 118 */
    0x3c83c5ec519d7271ULL, 0x3fef9a51fbc74c83ULL, /* j = 119 */
    0xbc8ff7128fd391f0ULL, 0x3fefa4afa2a490daULL, /* j = 120 */
    0xbc8dae98e223747dULL, 0x3fefaf482d8e67f1ULL, /* j = 121 */
    0x3c8ec3bc41aa2008ULL, 0x3fefba1bee615a27ULL, /* j = 122 */
    0x3c842b94c3a9eb32ULL, 0x3fefc52b376bba97ULL, /* j = 123 */
    0x3c8a64a931d185eeULL, 0x3fefd0765b6e4540ULL, /* j = 124 */
    0xbc8e37bae43be3edULL, 0x3fefdbfdad9cbe14ULL, /* j = 125 */
    0x3c77893b4d91cd9dULL, 0x3fefe7c1819e90d8ULL, /* j = 126 */
    0x3c5305c14160cc89ULL, 0x3feff3c22b8f71f1ULL, /* j = 127 */
};

/*
 * Method (table-driven, after ARM optimized-routines exp.c, made branch-free
 * and extended to the whole range without a slow path):
 *  1. k = round(x * 128/ln2) (shifter trick); r = x - k*ln2/128 with ln2/128
 *     split hi (32 significant bits, so k*hi is exact for |k| < 2^21) + lo;
 *     |r| <= ln2/256.
 *  2. exp(x) = 2^(k/128) * exp(r) = H_j (1 + tail_j) exp(r) * 2^e, with
 *     k = 128e + j; exp(r) - 1 by a degree-5 polynomial (ARM's C2..C5, abs
 *     error 1.555*2^-66 on |r| <= ln2/256), tmp = tail + r + r^2 P(r),
 *     y = scale + scale*tmp with scale = H_j 2^e built in the exponent bits.
 *  3. So that the scale stays a normal double, 2^c (c = -512 for x < 0,
 *     +512 otherwise) is taken out of its exponent bits and multiplied back
 *     at the end: exact for normal results, one rounding for subnormal ones
 *     (gradual underflow), +inf for overflow.  Lanes beyond the thresholds
 *     (where the exponent bits would wrap) are overwritten by the selects.
 *  No division and no libm call: about 30 operations and two table loads
 *  (gathers on AVX2) against the fdlibm form's division.
 * Special values: exp(x > 709.78...) = +inf (incl. +inf),
 *   exp(x < -745.13...) = +0 (incl. -inf), exp(NaN) = NaN (r is NaN),
 *   exp(+-0) = 1 exactly (k = 0, r = 0, tail_0 = 0).
 * Accuracy: <= 1 ulp against mpmath over the whole range (tests/unit/test_vmath.py).
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_exp_f64(double x)
{
    const double inf   = ib_vm_asf64_(IB_VM_INF_);
    const double shift = IB_VM_SHIFTER_;
    const double inv_ln2_n = 1.8466496523378731525e+02;      /* 128/ln2     */
    const double ln2hi_n = IB_VM_LN2_HI_ / 128.0;             /* exact       */
    const double ln2lo_n = IB_VM_LN2_LO_ / 128.0;             /* exact       */
    const double C2 = 0.49999999999996786       ;             /* 0x1.ffffffffffdbdp-2 */
    const double C3 = 0.16666666666665886       ;             /* 0x1.555555555543cp-3 */
    const double C4 = 0.0416666808410674        ;             /* 0x1.55555cf172b91p-5 */
    const double C5 = 0.008333335853059549      ;             /* 0x1.1111167a4d017p-7 */

    /* 3. 2^c, c = -512 for x < 0 and +512 otherwise, taken out of the
     *    scale and multiplied back */
    int neg = x < 0.0;
    uint64_t cbits = neg ? (uint64_t)(-512LL) << 52 : (uint64_t)512 << 52;
    double p2c = neg ? 7.4583407312002067433e-155 : 1.3407807929942597100e+154;

    /* 1. reduction */
    double kt = x * inv_ln2_n + shift;
    uint64_t ki = ib_vm_asu64_(kt);
    double kd = kt - shift;
    double r = (x - kd * ln2hi_n) - kd * ln2lo_n;

    /* 2. table and polynomial */
    uint64_t idx = 2 * (ki & 127);
    double tail = ib_vm_asf64_(IB_VM_EXP_TAB_[idx]);
    uint64_t sbits = IB_VM_EXP_TAB_[idx + 1] + (ki << 45) - cbits;
    double r2 = r * r;
    double tmp = tail + r + r2 * (C2 + r * C3) + (r2 * r2) * (C4 + r * C5);
    double scale = ib_vm_asf64_(sbits);
    double res = (scale + scale * tmp) * p2c;

    /* special values */
    res = (x < IB_VM_EXP_U_) ? 0.0 : res;
    res = (x > IB_VM_EXP_O_) ? inf : res;
    return res;
}

/* 2^512 and 2^-512: the scale of ib_exp_scaled_f64. */
#define IB_VM_TWO512_   1.3407807929942597100e+154
#define IB_VM_TWOM512_  7.4583407312002067433e-155
/* Below this ib_exp_scaled_f64 returns +0 (its exponent bits stay valid
 * down to about -1063). */
#define IB_VM_EXPS_LO_  (-1000.0)

/*
 * ib_exp_scaled_f64(x) = exp(x) * 2^512, for x <= 0 (or NaN) only.
 * For sums of exponentials of non-positive arguments, exp(a - max) in
 * log-sum-exp: the caller adds the scaled terms and multiplies the sum by
 * 2^-512 once.  It is the x < 0 branch of ib_exp_f64 without the final
 * multiplication by 2^c (c = -512) and without the range selects, i.e.
 * about 40 vector instructions against 47:
 *  - the shifter is 1.5*2^52 + 512*128, so that ki carries k + 512*128:
 *    the index (k mod 128) and kd are unchanged (the shifter stays an even
 *    integer, so k = round(x*128/ln2) rounds the same), and ki << 45 adds
 *    512 to the exponent bits, which is what "- cbits" does in ib_exp_f64;
 *  - x < -1000 (including -inf) gives +0: there exp(x) * 2^512 < 2^-930,
 *    which the final 2^-512 rounds to 0 anyway; above, the scaled result
 *    is a normal double and its exponent bits cannot wrap;
 *  - NaN gives NaN (r is NaN).
 * Hence, for every x <= 0 and NaN, ib_exp_scaled_f64(x) * 2^-512 is
 * ib_exp_f64(x) bit for bit (tests/unit/test_vmath.py checks), and
 * ib_exp_scaled_f64(x) is exp(x) * 2^512 within 1 ulp without gradual
 * underflow (a sum of scaled terms is, if anything, more accurate).
 * x > 0 is outside the contract (the result overflows from x ~ 354 on and
 * is garbage beyond the exponent range).
 * (Written as the final select rather than a clamp of x on entry: with a
 * clamp gcc 12 turns the table reads into masked loads and gives up.)
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_exp_scaled_f64(double x)
{
    const double shift = IB_VM_SHIFTER_ + 65536.0;            /* + 512*128   */
    const double inv_ln2_n = 1.8466496523378731525e+02;      /* 128/ln2     */
    const double ln2hi_n = IB_VM_LN2_HI_ / 128.0;             /* exact       */
    const double ln2lo_n = IB_VM_LN2_LO_ / 128.0;             /* exact       */
    const double C2 = 0.49999999999996786       ;             /* as ib_exp_f64 */
    const double C3 = 0.16666666666665886       ;
    const double C4 = 0.0416666808410674        ;
    const double C5 = 0.008333335853059549      ;

    double kt = x * inv_ln2_n + shift;
    uint64_t ki = ib_vm_asu64_(kt);
    double kd = kt - shift;
    double r = (x - kd * ln2hi_n) - kd * ln2lo_n;

    uint64_t idx = 2 * (ki & 127);
    double tail = ib_vm_asf64_(IB_VM_EXP_TAB_[idx]);
    uint64_t sbits = IB_VM_EXP_TAB_[idx + 1] + (ki << 45);
    double r2 = r * r;
    double tmp = tail + r + r2 * (C2 + r * C3) + (r2 * r2) * (C4 + r * C5);
    double scale = ib_vm_asf64_(sbits);
    double res = scale + scale * tmp;
    return (x < IB_VM_EXPS_LO_) ? 0.0 : res;
}

/*
 * ib_exp16_scaled_f64(x) = exp(x) * 2^512 for x <= 0 (or NaN) only: the
 * contract of ib_exp_scaled_f64 with a 16-entry table, for block loops
 * whose AVX-512 copy looks the table up with two in-register permutes
 * (vpermt2pd, ib_numerics_vexp.h) instead of two gathers, which on Zen 4
 * take a third of ib_exp_scaled_f64's time.  The same arithmetic in every
 * copy (this scalar function, gcc's vectorisation of it, the vector code),
 * so the results are bitwise identical on every SIMD path.
 *  1. k = round(x * 16/ln2) (shifter 1.5*2^52 + 512*16: ki carries
 *     k + 8192, so ki << 48 also adds 512 to the exponent);
 *     r = (x - k ln2hi/16) - k ln2lo/16 (ln2hi as in ib_exp_f64: k*hi exact
 *     for |k| < 2^21), |r| <= ln2/32 (+ rounding);
 *  2. exp(x) 2^512 = 2^(e + 512) H_j (1 + tail_j) exp(r), k = 16e + j,
 *     H_j = 2^(j/16) rounded, tail_j = (2^(j/16) - H_j)/H_j rounded
 *     (mpmath, 200 bits); sbits_j = bits(H_j) - (j << 48), so that
 *     sbits_j + (ki << 48) = bits(H_j 2^(e + 512));
 *     exp(r) - 1 = r + r^2 P(r), P the Taylor polynomial of degree 5
 *     (1/2! .. 1/7!, relative truncation error 2^-59.5 on |r| <= ln2/32,
 *     mpmath), Estrin's scheme; y = s + s (tail + r + r^2 P);
 *  3. x < -1000 (and -inf) gives +0, as ib_exp_scaled_f64 (above it the
 *     result is a normal double); NaN gives NaN.
 * Accuracy: <= 1 ulp against mpmath (tests/unit/test_vmath.py).  About 31
 * vector operations, no gathers.
 */
#define IB_VM_EXP16_SHIFT_ (IB_VM_SHIFTER_ + 8192.0)     /* + 512*16  */
#define IB_VM_EXP16_INVLN2_ 23.083120654223414           /* 16/ln2    */
#define IB_VM_EXP16_C2_ 0.5
#define IB_VM_EXP16_C3_ 0.16666666666666666     /* 0x1.5555555555555p-3  */
#define IB_VM_EXP16_C4_ 0.041666666666666664    /* 0x1.5555555555555p-5  */
#define IB_VM_EXP16_C5_ 0.008333333333333333    /* 0x1.1111111111111p-7  */
#define IB_VM_EXP16_C6_ 0.001388888888888889    /* 0x1.6c16c16c16c17p-10 */
#define IB_VM_EXP16_C7_ 0.0001984126984126984   /* 0x1.a01a01a01a01ap-13 */

/* tail_j as double bits, then sbits_j (j = 0..15) */
static const uint64_t IB_VM_EXP16_TAIL_[16] = {
    0x0000000000000000ULL,
    0x3c979aa65d837b6dULL,
    0xbc801b15eaa59348ULL,
    0x3c968efde3a8a894ULL,
    0x3c834d754db0abb6ULL,
    0x3c859f48a72a4c6dULL,
    0x3c7690cebb7aafb0ULL,
    0x3c9063e1e21c5409ULL,
    0xbc93b3efbf5e2228ULL,
    0xbc7b32dcb94da51dULL,
    0x3c8db72fc1f0eab4ULL,
    0x3c71affc2b91ce27ULL,
    0x3c8c1a7792cb3387ULL,
    0x3c736eae30af0cb3ULL,
    0x3c74a385a63d07a7ULL,
    0xbc8ff7128fd391f0ULL
};
static const uint64_t IB_VM_EXP16_SBITS_[16] = {
    0x3ff0000000000000ULL  /* j =  0 */,
    0x3fefb5586cf9890fULL  /* j =  1 */,
    0x3fef72b83c7d517bULL  /* j =  2 */,
    0x3fef387a6e756238ULL  /* j =  3 */,
    0x3fef06fe0a31b715ULL  /* j =  4 */,
    0x3feedea64c123422ULL  /* j =  5 */,
    0x3feebfdad5362a27ULL  /* j =  6 */,
    0x3feeab07dd485429ULL  /* j =  7 */,
    0x3feea09e667f3bcdULL  /* j =  8 */,
    0x3feea11473eb0187ULL  /* j =  9 */,
    0x3feeace5422aa0dbULL  /* j = 10 */,
    0x3feec49182a3f090ULL  /* j = 11 */,
    0x3feee89f995ad3adULL  /* j = 12 */,
    0x3fef199bdd85529cULL  /* j = 13 */,
    0x3fef5818dcfba487ULL  /* j = 14 */,
    0x3fefa4afa2a490daULL  /* j = 15 */
};

static inline IB_VM_ALWAYS_INLINE_ double ib_exp16_scaled_f64(double x)
{
    const double shift = IB_VM_EXP16_SHIFT_;
    const double ln2hi_n = IB_VM_LN2_HI_ / 16.0;              /* exact       */
    const double ln2lo_n = IB_VM_LN2_LO_ / 16.0;              /* exact       */
    double kt = x * IB_VM_EXP16_INVLN2_ + shift;
    uint64_t ki = ib_vm_asu64_(kt);
    double kd = kt - shift;
    double r = (x - kd * ln2hi_n) - kd * ln2lo_n;
    uint64_t j = ki & 15;
    double tail = ib_vm_asf64_(IB_VM_EXP16_TAIL_[j]);
    uint64_t sbits = IB_VM_EXP16_SBITS_[j] + (ki << 48);
    double r2 = r * r;
    double r4 = r2 * r2;
    double P = ((IB_VM_EXP16_C2_ + r * IB_VM_EXP16_C3_)
                + r2 * (IB_VM_EXP16_C4_ + r * IB_VM_EXP16_C5_))
               + r4 * (IB_VM_EXP16_C6_ + r * IB_VM_EXP16_C7_);
    double tmp = (tail + r) + r2 * P;
    double scale = ib_vm_asf64_(sbits);
    double res = scale + scale * tmp;
    return (x < IB_VM_EXPS_LO_) ? 0.0 : res;
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

/* ------------------------------------------------------------------------ */
/* log of a ratio, exact products, exponent split (reduction terms)          */
/* ------------------------------------------------------------------------ */
/*
 * ib_two_prod_lo_f64(a, b, p), p = fl(a*b): the exact error a*b - p
 * (Dekker's product with Veltkamp's splitting, 17 operations, no fma).
 * Exact when |a|, |b| < 2^995 and no partial product underflows (|a*b| >=
 * 2^-969 suffices).  ib_two_prod_lo_fma_f64 is the same value in one fma,
 * for code compiled with an FMA target (the caller picks; both give the
 * same bits wherever the error is exact).
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_two_prod_lo_f64(double a, double b, double p)
{
    const double c = 134217729.0;               /* 2^27 + 1 */
    double ta = c * a, ah = ta - (ta - a), al = a - ah;
    double tb = c * b, bh = tb - (tb - b), bl = b - bh;
    return (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
}

#if defined(__GNUC__)
static inline IB_VM_ALWAYS_INLINE_ double ib_two_prod_lo_fma_f64(double a, double b, double p)
{
    return __builtin_fma(a, b, -p);
}
#endif

/*
 * ib_vm_frexp1_(x, &m, &e): x = m * 2^e with m in [1, 2) and e an exact
 * integer-valued double, for every positive finite x (subnormals are
 * prescaled by 2^54).  Garbage for x = 0, inf, NaN or negative x.
 */
static inline IB_VM_ALWAYS_INLINE_ void ib_vm_frexp1_(double x, double *m, double *e)
{
    int sub = x < IB_VM_DBL_MIN_;
    double xs = sub ? x * IB_VM_TWO54_ : x;
    uint64_t ix = ib_vm_asu64_(xs);
    *m = ib_vm_asf64_((ix & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    *e = ib_vm_asf64_(0x4330000000000000ULL | (ix >> 52))
       - (sub ? IB_VM_TWO52_ + 1077.0 : IB_VM_TWO52_ + 1023.0);
}

/*
 * ib_log_ratio_f64(x, w, l, r, koff, has_l, has_koff) = log(x / (w + l))
 * + koff*ln2, for r = fl(x / w) a positive normal double with
 * 2^-1022 <= r <= 2^1022 (k in [-1022, 1022] below), w > 0, x > 0 and |l| at most
 * about ulp(w) (the exact low part of a two-term denominator: an fma/Dekker
 * product error or a TwoSum error; has_l = 0 when l is 0, a constant).
 * koff is an exact integer-valued double (|koff| < 2^20).
 *
 * Method: r = 2^k * m with m in [sqrt(2)/2, sqrt(2)) (the split of log).
 * The denominator is scaled by 2^k: (b, bl) = (w 2^k, l 2^k), so that
 * x / (b + bl) is m up to the rounding of r; b is about x/m, so it is
 * exact (normal) whenever x >= 2^-1021, and so is bl unless it is too
 * small to matter.  Then
 *     s = ((x - b) - bl) / (x + b)         (x - b exact: Sterbenz)
 *     log(x / (w + l)) = k ln2 + log((1 + s) / (1 - s))
 *                      = k ln2 + 2s + s R(s^2)
 * with R the Lg polynomial of log (|s| <= 0.1716 + rounding).  The
 * difference of nearly equal x and w + l is thus taken exactly (as
 * log1p((x - w)/w) would, without its extra division), so the result has a
 * small relative error however close x/(w + l) is to 1: s is within about
 * 1.75 u of its true value (x + b rounded, bl left out of the denominator,
 * one rounding of the numerator, the division), the sums add 1-2 roundings;
 * at most about 3.5 u relative over all inputs (u = 2^-53), checked against
 * mpmath in the tests.  Two divisions, like log(x / w).
 * Scale invariance: the result depends on (x, w, l) only through their
 * ratios and koff, bit for bit: (x, w, l) and (2^j x, 2^j w, 2^j l) give
 * the same s and the same total exponent k + koff, as long as every scaled
 * value stays exact.  The reductions rely on this to give the same bits on
 * their fast and full paths.  has_koff = 0 (a constant) drops the koff
 * addition.
 */
static inline IB_VM_ALWAYS_INLINE_ double ib_log_ratio_f64(double x, double w, double l,
                                                          double r, double koff,
                                                          const int has_l,
                                                          const int has_koff)
{
    uint64_t t  = ib_vm_asu64_(r) - IB_VM_SQRTH_BITS_;
    uint64_t kb = (t + (1024ULL << 52)) >> 52;                    /* k + 1024 */
    double kd = ib_vm_asf64_(0x4330000000000000ULL | kb) - (IB_VM_TWO52_ + 1024.0);
    double up = ib_vm_asf64_((kb - 1) << 52);                     /* 2^k */
    double b = w * up;
    double num = x - b;
    if (has_l)
        num = num - l * up;
    double s  = num / (x + b);
    double sR = ib_vm_slogpoly_(s);
    double K  = has_koff ? kd + koff : kd;
    return K * IB_VM_LN2_HI_ + (2.0 * s + (sR + K * IB_VM_LN2_LO_));
}

/* ------------------------------------------------------------------------ */
/* single precision                                                          */
/* ------------------------------------------------------------------------ */
/* Same rules as above, in float arithmetic so that a vector holds 8 lanes
 * (AVX2) or 4 (SSE2) instead of 4 or 2: only + - * on floats, compares
 * feeding selects, and 32-bit integer add / logical shift on the bit
 * patterns (all in SSE2).  No table, so the loops also vectorise on the
 * SSE2 baseline (no gathers needed). */
static inline IB_VM_ALWAYS_INLINE_ uint32_t ib_vm_asu32_(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline IB_VM_ALWAYS_INLINE_ float ib_vm_asf32_(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* expf(x) rounds to +inf for x > O and to +0 for x < U (both exact floats:
 * O = 0x42b17217 is the largest x with a finite correctly rounded result,
 * U = 0xc2cff1b4 the smallest with a nonzero one; checked with mpmath). */
#define IB_VM_EXPF_O_   88.7228317260742188f     /* 0x1.62e42ep+6  */
#define IB_VM_EXPF_U_ -103.972076416015625f      /* -0x1.9fe368p+6 */

/*
 * ib_exp_f32 -- exp in single precision.
 *
 * Method (no table):
 *  1. n = round(x/ln2) (shifter 1.5*2^23: the low bits of x/ln2 + shifter
 *     are n), r = x - n*ln2 with ln2 = hi + lo, hi with 15 significant bits:
 *     rhi = x - n*hi is exact (n*hi exact for |n| < 2^9, the subtraction
 *     by Sterbenz), |r| <= ln2/2 (+ rounding).
 *  2. exp(r) = 1 + rhi + t, t = r^2 P(r) - n*lo with r = rhi - n*lo
 *     rounded (r only feeds the small term).  P is a degree-4 minimax fit
 *     to (exp(r) - 1 - r)/r^2 on |r| <= ln2/2 with float coefficients
 *     (relative error of 1 + r + r^2 P: 2^-28), Estrin's scheme.  1 + rhi
 *     is split exactly into h + e (Fast2Sum, |rhi| < 1) and y = h + (e + t)
 *     is the only rounding of the leading term: 3 more operations than
 *     1 + (rhi + t), max error 0.73 instead of 0.91 ulp.
 *  3. result = (y * s) * 2^c with s = 2^(n-c) built in the exponent bits
 *     and c = -64 for x < 0, +64 otherwise, so that s is a normal float for
 *     every n in [-150, 128]: exact for normal results, one rounding for
 *     subnormal results (gradual underflow), +inf for overflow.
 * Special values (selects at the end): exp(x > O) = +inf (incl. +inf),
 *   exp(x < U) = +0 (incl. -inf), exp(NaN) = NaN (r is NaN),
 *   exp(+-0) = 1 exactly (n = 0, r = +-0).
 * Accuracy: over all 2^32 floats at most 1 ulp from the correctly rounded
 *   result (max true error 0.73 ulp for normal results; 98.4% of the
 *   results for |x| >= 2^-10 correctly rounded, all of them for smaller
 *   |x|), subnormal results included: exhaustive check against glibc's
 *   double exp rounded to float.  tests/unit/test_vmath.py checks samples
 *   against mpmath.
 * Cost: about 35 vector operations per 8 (AVX2) or 4 (SSE2) lanes; on AMD
 *   Zen 1 about 1.5-2 ns per element with AVX2 in L1 (ib_exp_f64 on
 *   doubles: 3.6 ns).
 *
 * ib_vm_expf_(x, xlo, nonpos) is the shared body: exp(x + xlo) for a
 * small correction xlo (|xlo| <= ulp(x)), which enters only the reduced
 * argument (n*lo - xlo); the selects and n look at x alone.  ib_exp_f32
 * passes xlo = 0 (n*lo - 0 folds to n*lo, so it costs nothing).  nonpos
 * (a constant) promises x <= 0 or NaN: c = -64 always and no overflow
 * select, 5 operations fewer, the same bits (for x = +-0 both choices of c
 * give y exactly).
 */
static inline IB_VM_ALWAYS_INLINE_ float ib_vm_expf_(float x, float xlo,
                                                     const int nonpos)
{
    const float inf     = ib_vm_asf32_(0x7f800000u);
    const float shift   = 12582912.0f;                 /* 0x1.8p23        */
    const float inv_ln2 = 1.44269502162933349609375f;  /* 0x1.715476p+0   */
    const float ln2hi   = 0.693145751953125f;          /* 0x1.62e4p-1     */
    const float ln2lo   = 1.42860676533018704503775e-06f; /* 0x1.7f7d1cp-20 */
    const float C2 = 0.4999999403953552f;              /* 0x1.fffffcp-2   */
    const float C3 = 0.1666652113199234f;              /* 0x1.555492p-3   */
    const float C4 = 0.04166839271783829f;             /* 0x1.5558f4p-5   */
    const float C5 = 0.00836874544620514f;             /* 0x1.123a2p-7    */
    const float C6 = 0.001381453825160861f;            /* 0x1.6a23ccp-10  */

    /* 3. 2^c taken out of the scale */
    int neg = nonpos ? 1 : x < 0.0f;
    uint32_t cbits = neg ? (uint32_t)(-64) << 23 : (uint32_t)64 << 23;
    float p2c = neg ? 5.42101086242752217004e-20f    /* 2^-64 */
                    : 1.84467440737095516160e+19f;   /* 2^64  */

    /* 1. reduction */
    float kt = x * inv_ln2 + shift;
    uint32_t ki = ib_vm_asu32_(kt);
    float kd = kt - shift;
    float rhi = x - kd * ln2hi;
    float lo = kd * ln2lo - xlo;
    float r = rhi - lo;

    /* 2. polynomial */
    float r2 = r * r;
    float P = (C2 + r * C3) + r2 * ((C4 + r * C5) + r2 * C6);
    float t = r2 * P - lo;
    float h = 1.0f + rhi;
    float e = (1.0f - h) + rhi;             /* 1 + rhi == h + e exactly */
    float y = h + (e + t);

    /* 3. scale (the low 9 bits of the shifter's pattern are 0, so
     *    ki << 23 == n << 23) */
    float s = ib_vm_asf32_(0x3f800000u + (ki << 23) - cbits);
    float res = (y * s) * p2c;

    /* special values */
    res = (x < IB_VM_EXPF_U_) ? 0.0f : res;
    if (!nonpos)
        res = (x > IB_VM_EXPF_O_) ? inf : res;
    return res;
}

static inline IB_VM_ALWAYS_INLINE_ float ib_exp_f32(float x)
{
    return ib_vm_expf_(x, 0.0f, 0);
}

/*
 * ib_exp_diff_f32(x, m) -- exp(x - m) for x <= m (softmax: m the maximum),
 * with the difference taken exactly: d = fl(x - m) and its rounding error e
 * (Knuth's TwoSum, 5 operations, no condition on |x| vs |m|) are passed to
 * the exp body as d + e.  exp of the rounded difference d alone would be
 * off by up to |x - m| * 2^-24 relative to exp(x - m), i.e. up to 20 ulps
 * for x - m = -20.  Net cost about that of ib_exp_f32 (the TwoSum against
 * the overflow handling that x <= m makes unnecessary).
 * Precondition: x <= m, or x or m NaN; for x > m the result is unspecified.
 * Accuracy: at most 1 ulp from exp of the exact difference, rounded
 * (tests/unit/test_vmath.py, mpmath).  Special cases are decided on d:
 * exp(x - m) = +0 for x = -inf or d < U (incl. overflow of the
 * difference), 1 for x == m finite, NaN if x or m is NaN or
 * x = m = +-inf.  Where d is finite, e is too.
 */
static inline IB_VM_ALWAYS_INLINE_ float ib_exp_diff_f32(float x, float m)
{
    float b = -m;
    float d = x + b;
    float bb = d - x;
    float e = (x - (d - bb)) + (b - bb);
    return ib_vm_expf_(d, e, 1);
}


/* ------------------------------------------------------------------------ */
/* single-precision log                                                      */
/* ------------------------------------------------------------------------ */
/*
 * ib_log_f32: log in float arithmetic (fdlibm e_logf.c's method, made
 * branch-free like ib_log_f64), 8 lanes per AVX2 vector and no table, so it
 * vectorises on SSE2 too.  Only float + - * /, compares feeding selects,
 * 32-bit integer add / logical shift on bit patterns and int32 -> float
 * conversion (all in SSE2), so both SIMD paths give the same bits.
 *  1. Subnormals: x < 2^-126 is multiplied by 2^25 (exact), 25 taken off k.
 *  2. x = 2^k m, m in [sqrt(2)/2, sqrt(2)), f = m - 1 (exact).
 *  3. s = f/(2+f), R = z(Lg1 + Lg2 w ... ) with z = s^2, w = z^2 (fdlibm's
 *     four float coefficients), hfsq = f^2/2.
 *  4. log(x) = k ln2_hi - ((hfsq - (s (hfsq + R) + k ln2_lo)) - f), k ln2_hi
 *     exact (ln2_hi has 12 trailing zero bits, |k| <= 151).
 * Within 1 ulp (faithful) over all 2^32 inputs: checked exhaustively by
 * tools/ci/exhaustive_log_f32.c against the double log.
 * Special values: log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf,
 * log(NaN) = NaN, log(1) = +0.
 */
#define IB_VM_LN2F_HI_ 6.9313812256e-01f   /* 0x3f317180 */
#define IB_VM_LN2F_LO_ 9.0580006145e-06f   /* 0x3717f7d1 */
#define IB_VM_LGF1_ 6.6666662693e-01f      /* 0xaaaaaa.0p-24 */
#define IB_VM_LGF2_ 4.0000972152e-01f      /* 0xccce13.0p-25 */
#define IB_VM_LGF3_ 2.8498786688e-01f      /* 0x91e9ee.0p-25 */
#define IB_VM_LGF4_ 2.4279078841e-01f      /* 0xf89e26.0p-26 */
#define IB_VM_SQRTHF_BITS_ 0x3f3504f3u     /* sqrt(2)/2 rounded */

/* Steps 2-4 for a positive normal finite u (x, or x 2^25 with kbias 281). */
static inline IB_VM_ALWAYS_INLINE_ float ib_vm_logf_core_(float u, int kbias)
{
    uint32_t ix = ib_vm_asu32_(u);
    uint32_t t = ix - IB_VM_SQRTHF_BITS_;
    int32_t kb = (int32_t)((t + 0x80000000u) >> 23);   /* k + 256 */
    float kd = (float)(kb - kbias);
    float m = ib_vm_asf32_(ix - (t & 0xff800000u));
    float f = m - 1.0f;
    float s = f / (m + 1.0f);
    float z = s * s;
    float w = z * z;
    float t1 = w * (IB_VM_LGF2_ + w * IB_VM_LGF4_);
    float t2 = z * (IB_VM_LGF1_ + w * IB_VM_LGF3_);
    float R = t2 + t1;
    float hfsq = 0.5f * f * f;
    return kd * IB_VM_LN2F_HI_ - ((hfsq - (s * (hfsq + R) + kd * IB_VM_LN2F_LO_)) - f);
}

static inline IB_VM_ALWAYS_INLINE_ float ib_log_f32(float x)
{
    const float inf = ib_vm_asf32_(0x7f800000u);
    int sub = x < 0x1p-126f;
    float xs = sub ? x * 0x1p25f : x;
    float r = ib_vm_logf_core_(xs, sub ? 281 : 256);
    float sp = (x == 0.0f) ? -inf : x * inf + inf;
    int ok = (x > 0.0f) & (x < inf);
    return ok ? r : sp;
}

/* log(x) for x known to be positive, normal and finite (2^-126 <= x <=
 * FLT_MAX): steps 2-4 only, bitwise ib_log_f32 there; a finite meaningless
 * value elsewhere (ib_log_pos_f32(0) is finite, so 0 * it is +-0). */
static inline IB_VM_ALWAYS_INLINE_ float ib_log_pos_f32(float x)
{
    return ib_vm_logf_core_(x, 256);
}

#endif /* IB_VMATH_H */
