/* Per-SIMD-path body of ib_dynamics.c, included once per path by
 * ib_per_path.h (IB_SFX = _base, _v3 or _v4).  Integer arithmetic only, so
 * every path gives the same keys. */
/* (names through IB_FN, ib_per_path.h) */

/* key[i] += (x[i * s] - o) * m for i < nb; returns nonzero if some digit
 * x - o lies outside [0, k).  Contiguous parts (s == 1) take a loop the
 * compiler vectorises (64-bit multiplies: vpmullq on the v4 path). */
IB_NOINLINE static uint64_t IB_FN(ib_dyn_part)(ib_ssize nb, const int64_t *x, ib_ssize s,
                                                   int64_t o, int64_t k, int64_t m,
                                                   int64_t *restrict key)
{
    uint64_t bad = 0;
    if (s == 1) {
        const int64_t *restrict g = x;
        for (ib_ssize i = 0; i < nb; i++) {
            int64_t d = g[i] - o;
            bad |= (uint64_t)((uint64_t)d >= (uint64_t)k);
            key[i] += d * m;
        }
        return bad;
    }
    for (ib_ssize i = 0; i < nb; i++) {
        int64_t d = x[i * s] - o;
        bad |= (uint64_t)((uint64_t)d >= (uint64_t)k);
        key[i] += d * m;
    }
    return bad;
}
