/* Exhaustive accuracy check of ib_exp_f32 (csrc/ib_vmath.h) over all 2^32
 * float inputs.  Not part of the build or the test suite (it takes about
 * two minutes); tests/unit/test_vmath.py checks samples against mpmath.
 *
 * Reference: glibc's double exp of the (exact) double value of x, rounded
 * to float.  Reports the distance in ulps between ib_exp_f32(x) and that
 * rounded reference (all inputs), the largest true error in ulps of the
 * result (normal results), the share of correctly rounded results, and a
 * hash of all result bits, so two builds (SSE2 baseline and AVX2) can be
 * compared bitwise:
 *
 *   F="$(python build_config.py) -Icsrc"    # the extensions' flags
 *   gcc $F tools/ci/exhaustive_exp_f32.c -lm -o /tmp/ex_base && /tmp/ex_base
 *   gcc $F -mavx2 -mfma tools/ci/exhaustive_exp_f32.c -lm -o /tmp/ex_v3 && /tmp/ex_v3
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ib_vmath.h"

/* One exp per loop and not inlined into main: the loop vectorises as in
 * the kernels. */
__attribute__((noinline)) static void block(const float *restrict x,
                                            float *restrict y, int n)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        y[i] = ib_exp_f32(x[i]);
}

static int64_t ordered(float f)
{
    int64_t m = ib_vm_asu32_(f) & 0x7fffffff;
    return (ib_vm_asu32_(f) >> 31) ? -m : m;
}

int main(void)
{
    enum { B = 4096 };
    static float x[B], y[B];
    long hist[3] = {0, 0, 0}, nan_bad = 0, total = 0;
    long wide = 0, wide_off = 0;   /* |x| >= 2^-10 with a finite nonzero result */
    double maxerr = 0.0;
    float worst = 0.0f;
    uint64_t hash = 1469598103934665603ull;
    uint64_t u = 0;
    while (u <= 0xffffffffull) {
        int n = 0;
        for (; n < B && u <= 0xffffffffull; u++)
            x[n++] = ib_vm_asf32_((uint32_t)u);
        block(x, y, n);
        for (int i = 0; i < n; i++) {
            hash = (hash ^ ib_vm_asu32_(y[i])) * 1099511628211ull;
            if (isnan(x[i])) {
                nan_bad += !isnan(y[i]);
                continue;
            }
            double e = exp((double)x[i]);
            float ref = (float)e;
            int64_t d = llabs(ordered(y[i]) - ordered(ref));
            hist[d > 2 ? 2 : d]++;
            total++;
            if (fabsf(x[i]) >= 0x1p-10f && ref != 0.0f && isfinite(ref)) {
                wide++;
                wide_off += d != 0;
            }
            if (isfinite(ref) && ref >= 0x1p-126f) {
                double ulp = ldexp(1.0, ilogb(ref) - 23);
                double err = fabs((double)y[i] - e) / ulp;
                if (err > maxerr) {
                    maxerr = err;
                    worst = x[i];
                }
            }
        }
    }
    printf("non-NaN inputs %ld: 0 ulp %ld, 1 ulp %ld, >= 2 ulp %ld; "
           "NaN inputs without NaN result: %ld\n",
           total, hist[0], hist[1], hist[2], nan_bad);
    printf("|x| >= 2^-10, finite nonzero result: %ld, correctly rounded %.3f%%\n",
           wide, 100.0 * (double)(wide - wide_off) / (double)wide);
    printf("max true error (normal results) %.4f ulp at x = %a\n", maxerr,
           (double)worst);
    printf("hash of all results %016llx\n", (unsigned long long)hash);
    return (hist[2] != 0 || nan_bad != 0) ? 1 : 0;
}
