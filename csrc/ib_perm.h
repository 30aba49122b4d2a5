/* Permutation tests: seeded permutations and the plug-in MI null
 * distribution (infobits.estimate.permutation_test).
 *
 * A permutation is defined by one 64-bit key: a splitmix64 stream drives
 * a Fisher-Yates shuffle (for i = N-1 .. 1: swap items i and j, j uniform
 * in [0, i] by Lemire's unbiased multiply-shift on 32 bits), over the n
 * samples, or, with block > 1, over the ceil(n / block) consecutive blocks
 * of `block` samples (the last one shorter), the blocks keeping their
 * samples in order.  The same key gives the same permutation here and in
 * the Python generic path (which asks ib_perm_indices for it), whatever the
 * thread count. */
#ifndef IB_PERM_H
#define IB_PERM_H
#include <stdint.h>
#include "ib_common.h"

/* pi[0..n): the permutation of `key` (block >= 1; 1: plain).  n < 2^32. */
int ib_perm_indices(uint64_t key, ib_ssize n, ib_ssize block, int64_t *pi);

/* The plug-in MI null distribution of label codes x (in [0, kx)) against
 * y (in [0, ky)), n samples each (n < 2^31): for each of the m keys, the
 * contingency table of x permuted by ib_perm_indices(keys[p], n, block)
 * against y is counted, and out[p] = sum over cells of c ln c (in cell
 * order).  One engine unit per permutation, each with its own table and
 * copy of the codes (per-thread scratch); IB_OK, IB_EINVAL or IB_ENOMEM. */
int ib_perm_mi_plugin(ib_ssize n, const int32_t *x, ib_ssize kx, const int32_t *y,
                      ib_ssize ky, ib_ssize m, const uint64_t *keys, ib_ssize block,
                      double *out);

#endif
