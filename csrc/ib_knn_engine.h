/* The neighbour engine: one compiled structure for every k-nearest-neighbour
 * estimator of infobits.estimate (KSG mutual information and conditional
 * mutual information, algorithms 1 and 2; Ross; Kozachenko-Leonenko; the
 * two-sample KL), in any dimension.
 *
 * A *space* (ib_kspace) is n points of d coordinates, the columns split into
 * ng consecutive *groups* (the variables: x, y, z of a joint space).  The
 * distance between two points is the max over groups of the group norm, the
 * group norm being the max-norm (metric IB_METRIC_MAX: then the whole
 * distance is the max-norm over all d coordinates) or the Euclidean norm
 * (IB_METRIC_EUCLID) of the group's coordinate differences.  This is JIDT's
 * joint norm, and with one group it is the plain norm.
 *
 * Structure: a k-d tree built once (median splits on the widest dimension
 * of each node's bounding box, leaves of at most IB_KS_LEAF points, the
 * coordinates copied in tree order so that a leaf is contiguous, tight
 * bounding boxes per node).  In one dimension the leaves are sorted too, so
 * the copy is the sorted sample and the 1-D queries run as sweeps and
 * galloping searches over it instead of tree walks.
 *
 * Queries (the points of the space themselves, by original index i):
 * - k-th neighbour distance eps_i, with a Theiler window: j is never a
 *   neighbour of i when |t_j - t_i| <= theiler (0 excludes i itself only;
 *   t_i = i unless the space was given time stamps);
 *   optionally also, for each group, the largest group distance among the
 *   k neighbours (KSG algorithm 2's eps_x, eps_y, eps_z);
 * - counts #{j : |t_j - t_i| > theiler, group distance g (j, i) < r_g(i) for
 *   every g} (strict) or <= r_g(i): the KSG marginal counts, with one
 *   radius per point (algorithm 1) or one per point and group (algorithm
 *   2).  Whole nodes inside the query box count at once; the window's
 *   points are tested directly and taken off;
 * - counts restricted to a marked subset: a 1-D space's ball is a range of
 *   its sorted order; ib_kspace_count_in_range counts, inside that range,
 *   the points whose distance in other variables is within a radius.
 * and queries by external points (the two-sample KL's distances from x to
 * its neighbours among y).
 *
 * Every query loop runs on the engine (ib_engine_run): units are chunks of
 * IB_KS_CHUNK query points in tree order (neighbouring queries touch the
 * same nodes), each writing its points' results; no result depends on the
 * thread count (distances are exact, counts are integers).
 *
 * A space is immutable after building and may be queried from several
 * threads at once.  Estimators that reuse neighbour structure (transfer
 * entropy matrices, permutation tests) build each space once and query it
 * many times.
 */
#ifndef IB_KNN_ENGINE_H
#define IB_KNN_ENGINE_H
#include "ib_common.h"

enum { IB_METRIC_MAX = 0, IB_METRIC_EUCLID = 1 };

/* Most groups a space may have (x, y, z and some spare). */
#define IB_KS_MAXG 8

typedef struct ib_kspace ib_kspace;

/* Build a space over the n rows of x (row-major, n x d, finite values;
 * copied, the caller keeps x).  gdims: the sizes of the ng groups, summing
 * to d (ng in [1, IB_KS_MAXG]).  times: NULL (the time of row i is i) or
 * n strictly increasing time stamps, which the Theiler window compares (a
 * subsample of a series keeps its original times).  IB_OK, IB_EINVAL or
 * IB_ENOMEM. */
int ib_kspace_build(ib_ssize n, ib_ssize d, const double *x, ib_ssize ng,
                    const ib_ssize *gdims, const int64_t *times, ib_kspace **out);
void ib_kspace_free(ib_kspace *s);

/* m one-dimensional spaces over the columns cols[0..m) (n values each,
 * the same time stamps), built in parallel (one engine unit each). */
int ib_kspace_build_many_1d(ib_ssize m, ib_ssize n, const double *const *cols,
                            const int64_t *times, ib_kspace **out);

/* eps[i]: distance from point i to its k-th nearest neighbour outside its
 * Theiler window (1 <= k <= n - (points in the largest window)).  geps
 * (NULL, or n * ng): geps[i * ng + g] = the largest group-g distance among
 * those k neighbours (ties at the k-th distance: the neighbours found
 * first in the tree walk).  IB_OK, IB_EINVAL, IB_ENOMEM. */
int ib_kspace_knn(const ib_kspace *s, ib_ssize k, int metric, ib_ssize theiler,
                  double *eps, double *geps);

/* eps[q]: distance from the external point q (row q of the m x d array
 * pts) to its k-th nearest point of the space (1 <= k <= n). */
int ib_kspace_knn_points(const ib_kspace *s, ib_ssize m, const double *pts,
                         ib_ssize k, int metric, double *eps);

/* out[i] = #{j : |t_j - t_i| > theiler, dist_g(j, i) < r(i, g) for every group
 * g} (strict != 0) or <= r(i, g) (strict == 0), where r(i, g) = r[i * nr +
 * (nr == 1 ? 0 : g)]; nr is 1 or ng. */
int ib_kspace_count(const ib_kspace *s, const double *r, ib_ssize nr,
                    int metric, int strict, ib_ssize theiler, int64_t *out);

/* Counts restricted to the ball of a one-dimensional space (the "marked
 * subset" of JIDT's conditional MI: mark the Z-neighbourhood once, count
 * the XZ and YZ neighbours inside it).  zs is a 1-D space (d == 1).  For
 * each point i, the points j with |t_j - t_i| > theiler and |z_j - z_i| < rz[i]
 * (strict) or <= rz[i] form a range of zs's sorted order (found by
 * galloping from i's rank); cz[i] is their number, and for each of the ns
 * other variables v[t] (n x dv[t], row-major, in the original order of the
 * points), out[t][i] counts those among them with dist(v_j, v_i) < rv[t][i]
 * (or <=; the max-norm or the Euclidean norm of the dv[t] coordinates).
 * The variables are gathered into zs's order once per call, so each
 * query reads its candidates contiguously: the cost of a query is the size
 * of its z ball (the fast path for a one-dimensional conditioning
 * variable). */
int ib_kspace_count_in_range(const ib_kspace *zs, const double *rz, int strict,
                             ib_ssize theiler, int64_t *cz, ib_ssize ns,
                             const double *const *v, const ib_ssize *dv,
                             const double *const *rv, int metric,
                             int64_t *const *out);

/* Counts in the product of two one-dimensional spaces over the same points
 * (same time stamps): out[i] = #{j : |t_j - t_i| > theiler, |u_j - u_i| <
 * ru[i] and |v_j - v_i| < rv[i]} (strict; or <= both).  Offline: each
 * point's u and v ranges by galloping in the sorted samples, then one sweep
 * along v with a Fenwick tree over the u ranks answers every query with
 * four prefix sums (O(log n) a query, whatever the count).  The KSG
 * conditional MI's n_xz and n_yz for one-dimensional x, y and z. */
int ib_kspace_count2(const ib_kspace *us, const ib_kspace *vs, const double *ru,
                     const double *rv, int strict, ib_ssize theiler, int64_t *out);

/* The same for several u spaces against one v space at once (each point's
 * v range found once, one sweep with a Fenwick tree per u space): for
 * t < nu (<= 4), out[t][i] counts j outside the window with |u_t,j -
 * u_t,i| within ru[t][i] and |v_j - v_i| within rv[i]; cv (or NULL) gets
 * the v counts alone.  The KSG conditional MI's n_xz, n_yz and n_z for
 * one-dimensional x, y and z in one call. */
int ib_kspace_count_prod(const ib_kspace *vs, const double *rv, ib_ssize nu,
                         const ib_kspace *const *us, const double *const *ru, int strict,
                         ib_ssize theiler, int64_t *cv, int64_t *const *out);

ib_ssize ib_kspace_n(const ib_kspace *s);
ib_ssize ib_kspace_d(const ib_kspace *s);

#endif
