/* Sorting float64 rows in place (the spacing and nearest-neighbour
 * estimators of infobits.estimate sort their samples first).
 *
 * An LSD radix sort on the IEEE-754 bits: each double maps to a 64-bit key
 * that orders as the doubles do (sign bit set: all bits flipped; else the
 * sign bit set), 8 passes of 8 bits, a pass skipped when every key has the
 * same digit there.  -0.0 sorts before +0.0; NaNs go to the ends by their
 * sign bit (the callers pass finite samples).  Scratch: one buffer of n
 * doubles per call.  On an AMD EPYC (Zen 4) it sorts 10^5 normal samples
 * in 1.65 ms against 3.9 ms for NumPy 2.4's np.sort (docs/performance.md).
 */
#ifndef IB_SORT_H
#define IB_SORT_H
#include "ib_common.h"

/* Sort each of the nrows rows of n doubles (row r at x + r * n) ascending.
 * Returns IB_OK or IB_ENOMEM. */
int ib_sort_rows_f64(ib_ssize nrows, ib_ssize n, double *x);

#endif
