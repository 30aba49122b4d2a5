/* Information dynamics on labels: joint counts of delay-embedded label
 * series (the plug-in transfer entropy, active information storage and
 * lagged MI of infobits.estimate._dynamics).
 *
 * A sample is a time step t; its joint code is a mixed-radix number of
 * "parts", each part one column of a label series read at a lag:
 *   key(t) = sum_p (x_p[(t - lag_p) * s_p] - off_p) * mult_p
 * with digits x_p - off_p in [0, K_p) (the caller's mult_p make the key
 * dense in [0, cells)).  A value outside its digit range is never used as
 * an index: the kernel returns IB_EINDEX and the time step.  Counting is a
 * single pass (no threads: one increment per sample, memory bound).
 */
#ifndef IB_DYNAMICS_H
#define IB_DYNAMICS_H

#include "ib_common.h"

/* For t = t0 .. t0 + N - 1: table[key(t)] += 1 (table of `cells` int64
 * zeroed by the caller), and keys[t - t0] = key(t) if keys is not NULL.
 * x[p] points to part p's series (int64, stride s[p] elements); every
 * index (t - lag[p]) must lie in the series (the caller's alignment).
 * IB_EINDEX with *bad = t - t0 if a digit falls outside [0, K[p]). */
int ib_count_embedded(ib_ssize N, ib_ssize t0, ib_ssize nparts,
                      const int64_t *const *x, const ib_ssize *s,
                      const ib_ssize *lag, const int64_t *off, const int64_t *K,
                      const int64_t *mult, ib_ssize cells, int64_t *table,
                      int64_t *keys, ib_ssize *bad);

#endif
