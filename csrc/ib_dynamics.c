/* Joint counts of delay-embedded label series (see ib_dynamics.h). */
#include "ib_dynamics.h"
#include <stdlib.h>

#define IB_PATH_BODY "ib_dynamics_path.h"
#include "ib_per_path.h"

/* The key of every sample of one block, part after part (each part's loop
 * is a strided gather and a multiply-add over the block). */
#define IB_DYN_BLOCK 256
#define IB_DYN_LANES_MAX 8192

int ib_count_embedded(ib_ssize N, ib_ssize t0, ib_ssize nparts,
                      const int64_t *const *x, const ib_ssize *s,
                      const ib_ssize *lag, const int64_t *off, const int64_t *K,
                      const int64_t *mult, ib_ssize cells, int64_t *table,
                      int64_t *keys, ib_ssize *bad)
{
    int64_t kb[IB_DYN_BLOCK];
    uint64_t (*part)(ib_ssize, const int64_t *, ib_ssize, int64_t, int64_t, int64_t,
                     int64_t *) = IB_PICK(ib_dyn_part);
    /* Small tables are counted in 4 interleaved copies (sample i into copy
     * i mod 4), summed at the end: consecutive samples in the same cell
     * would otherwise wait on each other's increment. */
    int64_t *lanes = NULL;
    if (cells <= IB_DYN_LANES_MAX && N >= 4 * cells) {
        lanes = (int64_t *)calloc((size_t)(4 * cells), sizeof(int64_t));
        if (!lanes)
            return IB_ENOMEM;
    }
    for (ib_ssize b0 = 0; b0 < N; b0 += IB_DYN_BLOCK) {
        ib_ssize nb = N - b0 < IB_DYN_BLOCK ? N - b0 : IB_DYN_BLOCK;
        int64_t *key = keys ? keys + b0 : kb;
        for (ib_ssize i = 0; i < nb; i++)
            key[i] = 0;
        for (ib_ssize p = 0; p < nparts; p++) {
            const int64_t *xp = x[p] + (t0 + b0 - lag[p]) * s[p];
            ib_ssize sp = s[p];
            int64_t o = off[p], k = K[p];
            if (part(nb, xp, sp, o, k, mult[p], key)) {
                for (ib_ssize i = 0; i < nb; i++) {
                    int64_t d = xp[i * sp] - o;
                    if ((uint64_t)d >= (uint64_t)k) {
                        *bad = b0 + i;
                        free(lanes);
                        return IB_EINDEX;
                    }
                }
            }
        }
        uint64_t over = 0;
        for (ib_ssize i = 0; i < nb; i++)     /* the caller's radix */
            over |= (uint64_t)((uint64_t)key[i] >= (uint64_t)cells);
        if (over) {
            for (ib_ssize i = 0; i < nb; i++) {
                if ((uint64_t)key[i] >= (uint64_t)cells) {
                    *bad = b0 + i;
                    free(lanes);
                    return IB_EINDEX;
                }
            }
        }
        if (lanes) {
            ib_ssize i = 0;
            for (; i + 4 <= nb; i += 4) {
                lanes[key[i]]++;
                lanes[cells + key[i + 1]]++;
                lanes[2 * cells + key[i + 2]]++;
                lanes[3 * cells + key[i + 3]]++;
            }
            for (; i < nb; i++)
                lanes[key[i]]++;
        } else {
            for (ib_ssize i = 0; i < nb; i++)
                table[key[i]]++;
        }
    }
    if (lanes) {
        for (ib_ssize c = 0; c < cells; c++)
            table[c] += lanes[c] + lanes[cells + c] + lanes[2 * cells + c] + lanes[3 * cells + c];
        free(lanes);
    }
    return IB_OK;
}
