/* LSD radix sort of float64 rows (see ib_sort.h). */
#include "ib_sort.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Below this length insertion sort beats the 8 histograms and passes. */
#define IB_SORT_SMALL 48

static inline uint64_t ib_sort_key(uint64_t u)
{
    /* negative: flip all bits (larger magnitude sorts first); else set the
     * sign bit, so every positive key is above every negative one */
    return u ^ ((uint64_t)(-(int64_t)(u >> 63)) | 0x8000000000000000ULL);
}

static inline uint64_t ib_sort_unkey(uint64_t k)
{
    /* the inverse: keys with the top bit set came from non-negative values */
    return k ^ (((k >> 63) - 1) | 0x8000000000000000ULL);
}

static void ib_sort_small(uint64_t *k, ib_ssize n)
{
    for (ib_ssize i = 1; i < n; i++) {
        uint64_t v = k[i];
        ib_ssize j = i;
        while (j > 0 && k[j - 1] > v) {
            k[j] = k[j - 1];
            j--;
        }
        k[j] = v;
    }
}

/* Sort the keys a[0..n) with scratch b; the result ends in a. */
static void ib_sort_keys(uint64_t *a, uint64_t *b, ib_ssize n)
{
    uint32_t hist[8][256];
    memset(hist, 0, sizeof hist);
    for (ib_ssize i = 0; i < n; i++) {
        uint64_t k = a[i];
        for (int d = 0; d < 8; d++)
            hist[d][(k >> (8 * d)) & 0xff]++;
    }
    uint64_t *src = a, *dst = b;
    for (int d = 0; d < 8; d++) {
        uint32_t *h = hist[d];
        /* a digit every key shares leaves the order unchanged */
        if (h[(src[0] >> (8 * d)) & 0xff] == (uint32_t)n)
            continue;
        uint32_t pos[256], s = 0;
        for (int j = 0; j < 256; j++) {
            pos[j] = s;
            s += h[j];
        }
        const int sh = 8 * d;
        for (ib_ssize i = 0; i < n; i++) {
            uint64_t k = src[i];
            dst[pos[(k >> sh) & 0xff]++] = k;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof(uint64_t));
}

int ib_sort_rows_f64(ib_ssize nrows, ib_ssize n, double *x)
{
    if (nrows <= 0 || n <= 1)
        return IB_OK;
    /* counts are uint32: rows beyond 2^32 - 1 values are not expected from
     * the estimators (their kernels would run for hours); refuse them */
    if ((uint64_t)n > 0xffffffffULL)
        return IB_EINVAL;
    uint64_t *scratch = NULL;
    if (n >= IB_SORT_SMALL) {
        scratch = (uint64_t *)malloc((size_t)n * sizeof(uint64_t));
        if (scratch == NULL)
            return IB_ENOMEM;
    }
    for (ib_ssize r = 0; r < nrows; r++) {
        uint64_t *k = (uint64_t *)(void *)(x + r * n);  /* same size, in place */
        for (ib_ssize i = 0; i < n; i++) {
            uint64_t u;
            memcpy(&u, &x[r * n + i], sizeof u);
            k[i] = ib_sort_key(u);
        }
        if (n < IB_SORT_SMALL)
            ib_sort_small(k, n);
        else
            ib_sort_keys(k, scratch, n);
        for (ib_ssize i = 0; i < n; i++) {
            uint64_t u = ib_sort_unkey(k[i]);
            memcpy(&x[r * n + i], &u, sizeof u);
        }
    }
    free(scratch);
    return IB_OK;
}
