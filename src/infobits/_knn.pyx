# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_knn.c csrc/ib_sort.c
# distutils: include_dirs = csrc
"""Compiled entry points for the continuous estimators of
:mod:`infobits.estimate`: spacing entropy estimators and one-dimensional
nearest-neighbour sweeps over sorted samples.

Thin typed wrappers over contiguous float64 buffers: they check lengths,
release the GIL around the C kernel and turn its status into an exception.
Sorting, argument checking and the estimator formulas live in
:mod:`infobits.estimate._continuous`.
"""
from libc.stdint cimport int64_t

include "_dispatch.pxi"

cdef extern from "ib_sort.h" nogil:
    int ib_sort_rows_f64(ib_ssize nrows, ib_ssize n, double *x)

cdef extern from "ib_knn.h" nogil:
    int IB_SPACING_VASICEK, IB_SPACING_VAN_ES, IB_SPACING_EBRAHIMI, IB_SPACING_CORREA
    int IB_EBUDGET
    int ib_spacing_entropy_f64(int method, ib_ssize ncols, ib_ssize n, ib_ssize m,
                               const double *xs, double *out)
    int ib_knn1d_dist_f64(ib_ssize n, const double *xs, ib_ssize ny,
                          const double *ys, ib_ssize k, double *out)
    int ib_knn1d_logsum_f64(ib_ssize n, const double *xs, ib_ssize ny,
                            const double *ys, ib_ssize k, double *sum_log,
                            ib_ssize *nzero)
    int ib_count_within_self_f64(ib_ssize n, const double *vs, const double *r,
                                 int64_t *out)
    int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                             ib_ssize k, double box_x0, double box_y0,
                             double box_x1, double box_y1, ib_ssize max_work,
                             double *eps, ib_ssize *work)

SPACING_METHODS = {
    "vasicek": IB_SPACING_VASICEK,
    "van es": IB_SPACING_VAN_ES,
    "ebrahimi": IB_SPACING_EBRAHIMI,
    "correa": IB_SPACING_CORREA,
}


cdef int _check(int status) except -1:
    if status == IB_EINVAL:
        raise ValueError("invalid arguments for a k-NN / spacing kernel")
    return _raise_status(status)


def sort_rows_f64(double[:, ::1] x):
    """Sort each row of x in place, ascending (a radix sort on the IEEE bits:
    -0.0 before +0.0; the callers pass finite values)."""
    cdef int st
    if x.shape[0] == 0 or x.shape[1] <= 1:
        return
    with nogil:
        st = ib_sort_rows_f64(x.shape[0], x.shape[1], &x[0, 0])
    _check(st)


def spacing_entropy_f64(int method, const double[:, ::1] xs, Py_ssize_t m,
                        double[::1] out):
    """Spacing estimates (nats) of the sorted rows of xs into out."""
    cdef ib_ssize ncols = xs.shape[0], n = xs.shape[1]
    cdef int st
    if out.shape[0] != ncols:
        raise ValueError("out must have one entry per row of xs")
    if not (1 <= m and 2 * m < n):
        raise ValueError("window length m must satisfy 2 <= 2m < n")
    if ncols == 0:
        return
    with nogil:
        st = ib_spacing_entropy_f64(method, ncols, n, m, &xs[0, 0], &out[0])
    _check(st)


def knn1d_dist_f64(const double[::1] xs, const double[::1] ys, Py_ssize_t k,
                   double[::1] out):
    """k-th NN distance of each sorted xs[i] within xs (ys None) or in ys."""
    cdef ib_ssize n = xs.shape[0]
    cdef ib_ssize ny = 0 if ys is None else ys.shape[0]
    cdef const double *py = NULL
    cdef int st
    if out.shape[0] != n:
        raise ValueError("out must have the length of xs")
    if k < 1 or (ys is None and k >= n) or (ys is not None and k > ny):
        raise ValueError("k out of range for the sample sizes")
    if n == 0:
        return
    if ys is not None:
        py = &ys[0]
    with nogil:
        st = ib_knn1d_dist_f64(n, &xs[0], ny, py, k, &out[0])
    _check(st)


def knn1d_logsum_f64(const double[::1] xs, const double[::1] ys, Py_ssize_t k):
    """(sum of log k-th NN distances over positive ones, number of zeros)."""
    cdef ib_ssize n = xs.shape[0]
    cdef ib_ssize ny = 0 if ys is None else ys.shape[0]
    cdef const double *py = NULL
    cdef double s = 0.0
    cdef ib_ssize z = 0
    cdef int st
    if k < 1 or (ys is None and k >= n) or (ys is not None and k > ny):
        raise ValueError("k out of range for the sample sizes")
    if n == 0:
        return 0.0, 0
    if ys is not None:
        py = &ys[0]
    with nogil:
        st = ib_knn1d_logsum_f64(n, &xs[0], ny, py, k, &s, &z)
    _check(st)
    return s, z


def count_within_self_f64(const double[::1] vs, const double[::1] r, int64_t[::1] out):
    """out[i] = #{j : |vs[j] - vs[i]| < r[i]} for sorted vs (self included)."""
    cdef ib_ssize n = vs.shape[0]
    cdef int st
    if r.shape[0] != n or out.shape[0] != n:
        raise ValueError("vs, r and out must have the same length")
    if n == 0:
        return
    with nogil:
        st = ib_count_within_self_f64(n, &vs[0], &r[0], &out[0])
    _check(st)


def knn2d_maxnorm_f64(const double[::1] x, const double[::1] y, Py_ssize_t k,
                      box, Py_ssize_t max_work, double[::1] eps):
    """Max-norm k-th NN distances of the 2-D points (x[i], y[i]).

    box = (x0, y0, x1, y1) places the search grid (any box with positive
    width and height gives exact results; a box around the bulk of the data
    is fastest).  Returns (ok, work): ok is False (eps unusable) if the work
    (cells visited plus candidates examined) exceeded max_work; the caller
    then uses a k-d tree.
    """
    cdef ib_ssize n = x.shape[0]
    cdef ib_ssize work = 0
    cdef int st
    cdef double x0, y0, x1, y1
    x0, y0, x1, y1 = box
    if y.shape[0] != n or eps.shape[0] != n:
        raise ValueError("x, y and eps must have the same length")
    if not (1 <= k < n) or k > 64:
        raise ValueError("k must satisfy 1 <= k < n and k <= 64")
    if not (x1 > x0 and y1 > y0):
        raise ValueError("box must have positive width and height")
    with nogil:
        st = ib_knn2d_maxnorm_f64(n, &x[0], &y[0], k, x0, y0, x1, y1, max_work,
                                  &eps[0], &work)
    if st == IB_EBUDGET:
        return False, work
    _check(st)
    return True, work
