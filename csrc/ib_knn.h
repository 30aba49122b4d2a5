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
 * distances in *sum_log, the number of zero distances in *nzero and the
 * smallest distance in *dmin (+inf for n = 0). */
int ib_knn1d_dist_f64(ib_ssize n, const double *xs, ib_ssize ny,
                      const double *ys, ib_ssize k, double *out);
int ib_knn1d_logsum_f64(ib_ssize n, const double *xs, ib_ssize ny,
                        const double *ys, ib_ssize k, double *sum_log,
                        ib_ssize *nzero, double *dmin);

/* For each i: the number of sorted values vs[j] with |vs[j] - vs[i]| <
 * r[i] (strictly; i itself included when r[i] > 0), computed with exactly
 * that comparison (galloping and binary searches outwards from i on the
 * monotone predicates, no rounded vs[i] +- r[i]). */
int ib_count_within_self_f64(ib_ssize n, const double *vs, const double *r,
                             int64_t *out);

/* Kraskov-Stoegbauer-Grassberger neighbourhoods in two dimensions, max-norm:
 * eps[i] is the max-norm distance from (x[i], y[i]) to its k-th nearest
 * other point (1 <= k < n, k <= 64).  A grid of square cells over the box
 * [box_x0, box_x1] x [box_y0, box_y1] (points outside it go to the border
 * cells; the result is exact whatever the box) is searched ring by ring.
 * *work receives the work done (cells visited plus candidates examined).
 * If it exceeds max_work (very uneven data: clusters, far outliers), the
 * kernel stops and returns IB_EBUDGET; the caller then uses a k-d tree. */
int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                         ib_ssize k, double box_x0, double box_y0,
                         double box_x1, double box_y1, ib_ssize max_work,
                         double *eps, ib_ssize *work);

#endif
