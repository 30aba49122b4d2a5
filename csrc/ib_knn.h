/* Kernels for the continuous estimators (infobits.estimate): spacing
 * estimators of differential entropy and one-dimensional nearest-neighbour
 * sweeps over sorted samples.
 *
 * Every kernel reads sorted float64 samples (the Python layer sorts with
 * NumPy), computes in double and returns an int status (IB_OK, IB_EINVAL for
 * arguments the Python layer should have rejected, IB_ENOMEM).  Sums have a
 * fixed order (8 lanes per block of IB_KNN_BLOCK terms, blocks pairwise
 * within chunks, chunks pairwise), so results do not depend on the thread
 * count or on the SIMD path.
 */
#ifndef IB_KNN_H
#define IB_KNN_H
#include "ib_common.h"

/* Status of ib_knn2d_maxnorm_f64 when its scan budget is exceeded. */
#define IB_EBUDGET 16

enum {
    IB_SPACING_VASICEK = 0,
    IB_SPACING_VAN_ES = 1,
    IB_SPACING_EBRAHIMI = 2,
    IB_SPACING_CORREA = 3
};

/* Spacing estimators of differential entropy (nats), with the definitions
 * of scipy.stats.differential_entropy.  xs holds ncols rows of n sorted
 * values each (row r at xs + r * n); m is the window length, 2 <= 2m < n.
 * out[r] is the estimate for row r. */
int ib_spacing_entropy_f64(int method, ib_ssize ncols, ib_ssize n, ib_ssize m,
                           const double *xs, double *out);

/* k-th nearest-neighbour distances on sorted samples.
 * ys == NULL: for every xs[i], the distance to its k-th nearest neighbour
 *   among the other xs (1 <= k < n).
 * ys != NULL (ny sorted values): the distance from xs[i] to its k-th
 *   nearest neighbour among ys (1 <= k <= ny).
 * ib_knn1d_dist_f64 writes the n distances (in the sorted order of xs);
 * ib_knn1d_logsum_f64 returns the sum of log(distance) over the positive
 * distances in *sum_log and the number of zero distances in *nzero. */
int ib_knn1d_dist_f64(ib_ssize n, const double *xs, ib_ssize ny,
                      const double *ys, ib_ssize k, double *out);
int ib_knn1d_logsum_f64(ib_ssize n, const double *xs, ib_ssize ny,
                        const double *ys, ib_ssize k, double *sum_log,
                        ib_ssize *nzero);

/* For each query i (any order): the number of sorted values vs[j] with
 * |vs[j] - q[i]| < r[i] (strictly), computed with exactly that comparison
 * (binary searches on the monotone predicates, no rounded q +- r). */
int ib_count_within_f64(ib_ssize n, const double *vs, ib_ssize nq,
                        const double *q, const double *r, int64_t *out);

/* Kraskov-Stoegbauer-Grassberger neighbourhoods in two dimensions, max-norm:
 * for points (x[i], y[i]) given in increasing order of x, eps[i] is the
 * max-norm distance to the k-th nearest other point (1 <= k < n).  The
 * search scans outwards along x and stops when |dx| exceeds the current
 * k-th best distance.  If some point needs more than max_scan candidates
 * (clustered x: the scan would approach O(n^2)), the kernel stops and
 * returns IB_EBUDGET; the caller then uses a k-d tree. */
int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                         ib_ssize k, ib_ssize max_scan, double *eps);

#endif
