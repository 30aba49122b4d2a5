/* Exhaustive accuracy check of ib_log_f32 (csrc/ib_vmath.h) over all 2^32
 * float inputs.  Not part of the build or the test suite (it takes about a
 * minute); tests/unit/test_vmath.py checks samples against mpmath.
 *
 * Reference: glibc's double log of the (exact) double value of x.  Reports
 * the largest true error in ulps of the float result (finite nonzero
 * results), the distance in ulps from the reference rounded to float, the
 * share of correctly rounded results, wrong special values (zeros,
 * negatives, infinities, NaN), and a hash of all result bits, so two
 * builds (SSE2 baseline and AVX2) can be compared bitwise; likewise for
 * ib_log_pos_f32 on the positive normal floats (it must equal ib_log_f32
 * there):
 *
 *   F="$(python build_config.py) -Icsrc"    # the extensions' flags
 *   gcc $F tools/ci/exhaustive_log_f32.c -lm -o /tmp/lx_base && /tmp/lx_base
 *   gcc $F -mavx2 -mfma tools/ci/exhaustive_log_f32.c -lm -o /tmp/lx_v3 && /tmp/lx_v3
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ib_vmath.h"

/* One log per loop and not inlined into main: the loop vectorises as in
 * the kernels. */
__attribute__((noinline)) static void block(const float *restrict x,
                                            float *restrict y, int n)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        y[i] = ib_log_f32(x[i]);
}

__attribute__((noinline)) static void block_pos(const float *restrict x,
                                                float *restrict y, int n)
{
#pragma omp simd
    for (int i = 0; i < n; i++)
        y[i] = ib_log_pos_f32(x[i]);
}

int main(void)
{
    enum { B = 4096 };
    static float x[B], y[B], yp[B];
    long exact = 0, over1 = 0, special_bad = 0, pos_diff = 0, finite = 0;
    long round_hist[3] = {0, 0, 0};
    double maxerr = 0.0;
    float worst = 0.0f;
    uint64_t hash = 1469598103934665603ull;
    uint64_t u = 0;
    while (u <= 0xffffffffull) {
        int n = 0;
        for (; n < B && u <= 0xffffffffull; u++)
            x[n++] = ib_vm_asf32_((uint32_t)u);
        block(x, y, n);
        block_pos(x, yp, n);
        for (int i = 0; i < n; i++) {
            float xi = x[i], yi = y[i];
            hash = (hash ^ ib_vm_asu32_(yi)) * 1099511628211ull;
            if (xi >= FLT_MIN && xi <= FLT_MAX)
                pos_diff += ib_vm_asu32_(yp[i]) != ib_vm_asu32_(yi);
            if (!(xi > 0.0f) || isinf(xi)) {
                int ok;
                if (isnan(xi) || xi < 0.0f)
                    ok = isnan(yi);
                else if (xi == 0.0f)
                    ok = isinf(yi) && yi < 0.0f;
                else
                    ok = isinf(yi) && yi > 0.0f;
                special_bad += !ok;
                continue;
            }
            double e = log((double)xi);
            float er = (float)e;
            if (e == 0.0) {
                special_bad += yi != 0.0f;
                continue;
            }
            finite++;
            /* ulp of the float result's binade */
            int ex;
            frexp((double)er, &ex);
            double ulp = ldexp(1.0, ex - 24);
            double err = fabs((double)yi - e) / ulp;
            if (err > maxerr) {
                maxerr = err;
                worst = xi;
            }
            over1 += err >= 1.0;
            long d = labs((long)ib_vm_asu32_(yi) - (long)ib_vm_asu32_(er));
            round_hist[d < 2 ? d : 2]++;
            exact += d == 0;
        }
    }
    printf("ib_log_f32 over all 2^32 floats:\n");
    printf("  finite nonzero results: %ld, max error %.4f ulp (at x = %a), "
           ">= 1 ulp: %ld\n", finite, maxerr, (double)worst, over1);
    printf("  vs the rounded reference: 0 ulp %ld (%.4f%%), 1 ulp %ld, "
           ">1 ulp %ld\n", round_hist[0], 100.0 * exact / finite,
           round_hist[1], round_hist[2]);
    printf("  wrong special values: %ld; ib_log_pos_f32 != ib_log_f32 on "
           "normals: %ld\n", special_bad, pos_diff);
    printf("  hash of all results: %016llx\n", (unsigned long long)hash);
    return (over1 || special_bad || pos_diff) ? 1 : 0;
}
