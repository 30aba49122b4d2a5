# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_knn.c csrc/ib_sort.c csrc/ib_knn_engine.c
# distutils: include_dirs = csrc
"""Compiled entry points for the continuous estimators of
:mod:`infobits.estimate`: spacing entropy estimators, one-dimensional
nearest-neighbour sweeps over sorted samples, and the neighbour engine
(:class:`KnnSpace`) that every k-nearest-neighbour estimator runs on.

Thin typed wrappers over contiguous float64 buffers: they check lengths,
release the GIL around the C kernel and turn its status into an exception.
Sorting, argument checking and the estimator formulas live in
:mod:`infobits.estimate._continuous`.
"""
from libc.stdint cimport int64_t

import numpy as np

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
                            ib_ssize *nzero, double *dmin)
    int ib_count_within_self_f64(ib_ssize n, const double *vs, const double *r,
                                 int64_t *out)
    int ib_knn2d_maxnorm_f64(ib_ssize n, const double *x, const double *y,
                             ib_ssize k, double box_x0, double box_y0,
                             double box_x1, double box_y1, ib_ssize max_work,
                             double *eps, ib_ssize *work)

cdef extern from "ib_knn_engine.h" nogil:
    int IB_METRIC_MAX, IB_METRIC_EUCLID, IB_KS_MAXG
    ctypedef struct ib_kspace:
        pass
    int ib_kspace_build(ib_ssize n, ib_ssize d, const double *x, ib_ssize ng,
                        const ib_ssize *gdims, const int64_t *times, ib_kspace **out)
    void ib_kspace_free(ib_kspace *s)
    int ib_kspace_build_many_1d(ib_ssize m, ib_ssize n, const double *const *cols,
                                const int64_t *times, ib_kspace **out)
    int ib_kspace_knn(const ib_kspace *s, ib_ssize k, int metric, ib_ssize theiler,
                      double *eps, double *geps)
    int ib_kspace_knn_points(const ib_kspace *s, ib_ssize m, const double *pts,
                             ib_ssize k, int metric, double *eps)
    int ib_kspace_count(const ib_kspace *s, const double *r, ib_ssize nr,
                        int metric, int strict, ib_ssize theiler, int64_t *out)
    int ib_kspace_count_in_range(const ib_kspace *zs, const double *rz, int strict,
                                 ib_ssize theiler, int64_t *cz, ib_ssize ns,
                                 const double *const *v, const ib_ssize *dv,
                                 const double *const *rv, int metric,
                                 int64_t *const *out)
    int ib_kspace_count2(const ib_kspace *us, const ib_kspace *vs, const double *ru,
                         const double *rv, int strict, ib_ssize theiler, int64_t *out)
    int ib_kspace_count_prod(const ib_kspace *vs, const double *rv, ib_ssize nu,
                             const ib_kspace *const *us, const double *const *ru, int strict,
                             ib_ssize theiler, int64_t *cv, int64_t *const *out)

METRICS = {"chebyshev": IB_METRIC_MAX, "euclidean": IB_METRIC_EUCLID}
MAX_GROUPS = IB_KS_MAXG

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
    """(sum of log k-th NN distances over positive ones, number of zeros,
    smallest distance)."""
    cdef ib_ssize n = xs.shape[0]
    cdef ib_ssize ny = 0 if ys is None else ys.shape[0]
    cdef const double *py = NULL
    cdef double s = 0.0
    cdef double dm = float("inf")
    cdef ib_ssize z = 0
    cdef int st
    if k < 1 or (ys is None and k >= n) or (ys is not None and k > ny):
        raise ValueError("k out of range for the sample sizes")
    if n == 0:
        return 0.0, 0, dm
    if ys is not None:
        py = &ys[0]
    with nogil:
        st = ib_knn1d_logsum_f64(n, &xs[0], ny, py, k, &s, &z, &dm)
    _check(st)
    return s, z, dm


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


cdef int _metric(metric) except -1:
    if metric == IB_METRIC_MAX or metric == IB_METRIC_EUCLID:
        return metric
    raise ValueError(f"metric must be {IB_METRIC_MAX} (chebyshev) or {IB_METRIC_EUCLID} "
                     f"(euclidean); got {metric!r}")


cdef class KnnSpace:
    """A prepared neighbour space: n points, their coordinates split into
    groups (the variables of a joint space), indexed once by the compiled
    k-d tree of ``csrc/ib_knn_engine.c`` (in one dimension: the sorted
    sample).

    ``KnnSpace(x, groups=None, times=None)``: ``x`` float64, C-contiguous
    (n, d), finite; ``groups`` the sizes of consecutive column groups
    (default one group of d columns); ``times`` the strictly increasing time
    stamps of the rows that the Theiler window compares (default: the row
    index; a subsample of a series passes its original indices).  The
    distance of two points is the max over groups of the group norm: the
    max-norm (metric 0, ``METRICS["chebyshev"]``) or the Euclidean norm
    (metric 1) of the group's coordinate differences (with the max-norm,
    the max-norm over all columns).

    The queries are the space's own points by their row index (or external
    points for :meth:`knn_points`); every query loop runs multithreaded on
    the engine, with results bitwise identical for any thread count.  A space
    is immutable and may be queried any number of times with different
    radii, k, Theiler windows: build a space once per variable or subspace
    and reuse it (transfer-entropy matrices reuse a target's spaces across
    sources; permutation tests reuse the spaces of the unpermuted variables).

    Methods
    -------
    knn(k, metric=0, theiler=0, group_max=False)
        Distance from each point to its k-th nearest neighbour, never
        taking j with abs(j - i) <= theiler (0: only i itself); with
        ``group_max`` also an (n, n_groups) array of the largest group
        distance among those k neighbours (KSG algorithm 2).
    knn_points(q, k, metric=0)
        Distance from each row of q (m, d) to its k-th nearest point.
    count(r, metric=0, strict=True, theiler=0)
        For each point i, the number of points j outside its Theiler window
        with group distance < r (strict) or <= r in every group; r has
        shape (n,) (one radius for all groups) or (n, n_groups).
    count_in_range(rz, others, radii, metric=0, strict=True, theiler=0)
        One-dimensional spaces only: the points in each z ball (|z_j - z_i|
        < rz[i], outside the window), and for each array v of ``others``
        ((n, d_v), float64 C-contiguous, in the points' order) the number
        of them within radii[t][i] of v_i.  Returns (cz, [counts...]).
    """
    cdef ib_kspace *s
    cdef readonly Py_ssize_t n, d
    cdef readonly tuple groups
    cdef object _times

    def __cinit__(self, const double[:, ::1] x, groups=None, times=None):
        cdef ib_ssize gd[16]
        cdef const int64_t[::1] tv
        cdef const int64_t *pt = NULL
        cdef Py_ssize_t i, ng
        cdef int st
        self.s = NULL
        if x.shape[0] == 0 and x.shape[1] == 0 and groups == (0,):
            self.n = self.d = 0   # a shell that spaces_1d fills
            self.groups = (1,)
            self._times = None
            return
        self.n = x.shape[0]
        self.d = x.shape[1]
        if groups is None:
            groups = (self.d,)
        groups = tuple(int(g) for g in groups)
        ng = len(groups)
        if not 1 <= ng <= IB_KS_MAXG or any(g < 1 for g in groups) or sum(groups) != self.d:
            raise ValueError(f"groups must be 1 to {IB_KS_MAXG} positive sizes summing to "
                             f"the {self.d} columns; got {groups}")
        if self.d > 64:
            raise ValueError(f"a neighbour space holds at most 64 dimensions; got {self.d}")
        if self.n and not np.isfinite(np.asarray(x)).all():
            raise ValueError("a neighbour space needs finite coordinates")
        self.groups = groups
        for i in range(ng):
            gd[i] = groups[i]
        self._times = None
        if times is not None:
            ta = np.ascontiguousarray(times, dtype=np.int64)
            self._times = ta
            if ta.shape != (self.n,):
                raise ValueError(f"times must have shape ({self.n},); got {ta.shape}")
            if self.n > 1 and not (np.diff(ta) > 0).all():
                raise ValueError("times must be strictly increasing")
            if self.n:
                tv = ta
                pt = &tv[0]
        with nogil:
            st = ib_kspace_build(self.n, self.d, &x[0, 0] if self.n else NULL, ng, gd,
                                 pt, &self.s)
        _check(st)

    def __dealloc__(self):
        if self.s != NULL:
            ib_kspace_free(self.s)
            self.s = NULL

    def knn(self, Py_ssize_t k, metric=0, Py_ssize_t theiler=0, bint group_max=False):
        cdef int m = _metric(metric)
        cdef int st
        cdef Py_ssize_t ng = len(self.groups)
        if theiler < 0:
            raise ValueError(f"theiler must be >= 0; got {theiler}")
        if k < 1 or (self.n and k > self.n - self._times_window(theiler)):
            raise ValueError(f"k = {k} neighbours outside a Theiler window of {theiler} "
                             f"need more points; got {self.n}")
        eps = np.empty(self.n)
        geps = np.empty((self.n, ng)) if group_max else None
        cdef double[::1] e = eps
        cdef double[:, ::1] g
        cdef double *pg = NULL
        if group_max and self.n:
            g = geps
            pg = &g[0, 0]
        if self.n == 0:
            return (eps, geps) if group_max else eps
        with nogil:
            st = ib_kspace_knn(self.s, k, m, theiler, &e[0], pg)
        _check(st)
        return (eps, geps) if group_max else eps

    def _times_window(self, Py_ssize_t theiler):
        """Most points a Theiler window of this size holds (itself included)."""
        if self._times is None:
            return min(2 * theiler + 1, self.n)
        t = self._times
        lo = np.searchsorted(t, t - theiler, side="left")
        hi = np.searchsorted(t, t + theiler, side="right")
        return int((hi - lo).max()) if self.n else 0

    def knn_points(self, const double[:, ::1] q, Py_ssize_t k, metric=0):
        cdef int m = _metric(metric)
        cdef int st
        if q.shape[1] != self.d:
            raise ValueError(f"query points must have {self.d} columns; got {q.shape[1]}")
        if k < 1 or k > self.n:
            raise ValueError(f"k must be in [1, {self.n}]; got {k}")
        if q.shape[0] and not np.isfinite(np.asarray(q)).all():
            raise ValueError("query points must be finite")
        eps = np.empty(q.shape[0])
        cdef double[::1] e = eps
        if q.shape[0] == 0:
            return eps
        with nogil:
            st = ib_kspace_knn_points(self.s, q.shape[0], &q[0, 0], k, m, &e[0])
        _check(st)
        return eps

    def count(self, r, metric=0, bint strict=True, Py_ssize_t theiler=0):
        cdef int m = _metric(metric)
        cdef int st
        cdef Py_ssize_t nr
        ra = np.ascontiguousarray(r, dtype=np.float64)
        if ra.ndim == 1:
            nr = 1
        elif ra.ndim == 2 and ra.shape[1] == len(self.groups):
            nr = ra.shape[1]
        else:
            raise ValueError(f"r must have shape (n,) or (n, {len(self.groups)}); got {ra.shape}")
        if ra.shape[0] != self.n:
            raise ValueError(f"r must have one row per point ({self.n}); got {ra.shape[0]}")
        if theiler < 0:
            raise ValueError(f"theiler must be >= 0; got {theiler}")
        out = np.empty(self.n, dtype=np.int64)
        if self.n == 0:
            return out
        cdef const double[::1] r1 = ra.reshape(-1)
        cdef int64_t[::1] o = out
        with nogil:
            st = ib_kspace_count(self.s, &r1[0], nr, m, strict, theiler, &o[0])
        _check(st)
        return out

    def count_in_range(self, rz, others, radii, metric=0, bint strict=True,
                       Py_ssize_t theiler=0):
        cdef int m = _metric(metric)
        cdef int st
        cdef Py_ssize_t t, ns = len(others)
        cdef const double *pv[16]
        cdef const double *prv[16]
        cdef int64_t *po[16]
        cdef ib_ssize dv[16]
        cdef const double[:, ::1] vv
        cdef const double[::1] rr
        cdef int64_t[::1] oo
        if self.d != 1:
            raise ValueError("count_in_range needs a one-dimensional space")
        if ns != len(radii) or ns > IB_KS_MAXG:
            raise ValueError(f"others and radii must be two lists of the same length <= "
                             f"{IB_KS_MAXG}")
        if theiler < 0:
            raise ValueError(f"theiler must be >= 0; got {theiler}")
        rza = np.ascontiguousarray(rz, dtype=np.float64)
        if rza.shape != (self.n,):
            raise ValueError(f"rz must have shape ({self.n},); got {rza.shape}")
        vs = [np.ascontiguousarray(v, dtype=np.float64) for v in others]
        rs = [np.ascontiguousarray(r, dtype=np.float64) for r in radii]
        outs = [np.empty(self.n, dtype=np.int64) for _ in range(ns)]
        cz = np.empty(self.n, dtype=np.int64)
        if self.n == 0:
            return cz, outs
        for t in range(ns):
            if vs[t].ndim != 2 or vs[t].shape[0] != self.n or vs[t].shape[1] < 1:
                raise ValueError(f"others[{t}] must have shape ({self.n}, d); got {vs[t].shape}")
            if rs[t].shape != (self.n,):
                raise ValueError(f"radii[{t}] must have shape ({self.n},); got {rs[t].shape}")
            vv = vs[t]
            rr = rs[t]
            oo = outs[t]
            pv[t] = &vv[0, 0]
            prv[t] = &rr[0]
            po[t] = &oo[0]
            dv[t] = vs[t].shape[1]
        cdef const double[::1] rzv = rza
        cdef int64_t[::1] czv = cz
        with nogil:
            st = ib_kspace_count_in_range(self.s, &rzv[0], strict, theiler, &czv[0], ns,
                                          pv, dv, prv, m, po)
        _check(st)
        return cz, outs


def count2(KnnSpace us, KnnSpace vs, ru, rv, bint strict=True, Py_ssize_t theiler=0):
    """Counts in the product of two one-dimensional spaces over the same
    points: out[i] = #{j outside i's Theiler window : |u_j - u_i| < ru[i]
    and |v_j - v_i| < rv[i]} (strict; or <= both).  One offline sweep with a
    Fenwick tree: O(log n) per point whatever the count (the KSG
    conditional MI's n_xz, n_yz for one-dimensional x, y and z)."""
    cdef int st
    if us.d != 1 or vs.d != 1 or us.n != vs.n:
        raise ValueError("count2 needs two one-dimensional spaces over the same points")
    if theiler < 0:
        raise ValueError(f"theiler must be >= 0; got {theiler}")
    rua = np.ascontiguousarray(ru, dtype=np.float64)
    rva = np.ascontiguousarray(rv, dtype=np.float64)
    if rua.shape != (us.n,) or rva.shape != (us.n,):
        raise ValueError(f"ru and rv must have shape ({us.n},)")
    out = np.empty(us.n, dtype=np.int64)
    if us.n == 0:
        return out
    cdef const double[::1] a = rua
    cdef const double[::1] b = rva
    cdef int64_t[::1] o = out
    with nogil:
        st = ib_kspace_count2(us.s, vs.s, &a[0], &b[0], strict, theiler, &o[0])
    if st == IB_EINVAL:
        raise ValueError("count2 needs spaces with the same time stamps")
    _check(st)
    return out


def count_prod(KnnSpace vs, rv, us, ru, bint strict=True, Py_ssize_t theiler=0):
    """:func:`count2` for up to 4 one-dimensional u spaces against one v
    space at once.  Returns (cv, [out_t]): cv[i] the points within rv[i] of
    v_i alone, out_t[i] those also within ru[t][i] of u_t,i (all outside
    i's Theiler window)."""
    cdef int st
    cdef Py_ssize_t t, nu = len(us)
    cdef const ib_kspace *pus[4]
    cdef const double *pru[4]
    cdef int64_t *po[4]
    cdef KnnSpace sp
    cdef const double[::1] rr
    cdef int64_t[::1] oo
    if vs.d != 1 or len(ru) != nu or nu > 4:
        raise ValueError("count_prod needs a 1-D v space and up to 4 u spaces with radii")
    if theiler < 0:
        raise ValueError(f"theiler must be >= 0; got {theiler}")
    rva = np.ascontiguousarray(rv, dtype=np.float64)
    rus = [np.ascontiguousarray(r, dtype=np.float64) for r in ru]
    if rva.shape != (vs.n,) or any(r.shape != (vs.n,) for r in rus):
        raise ValueError(f"radii must have shape ({vs.n},)")
    outs = [np.empty(vs.n, dtype=np.int64) for _ in range(nu)]
    cv = np.empty(vs.n, dtype=np.int64)
    if vs.n == 0:
        return cv, outs
    for t in range(nu):
        sp = us[t]
        if sp.d != 1 or sp.n != vs.n:
            raise ValueError("count_prod needs one-dimensional spaces over the same points")
        pus[t] = sp.s
        rr = rus[t]
        pru[t] = &rr[0]
        oo = outs[t]
        po[t] = &oo[0]
    cdef const double[::1] rvv = rva
    cdef int64_t[::1] cvv = cv
    with nogil:
        st = ib_kspace_count_prod(vs.s, &rvv[0], nu, pus, pru, strict, theiler, &cvv[0], po)
    if st == IB_EINVAL:
        raise ValueError("count_prod needs spaces with the same time stamps")
    _check(st)
    return cv, outs


def spaces_1d(cols, times=None):
    """One-dimensional :class:`KnnSpace` objects over the given columns (1-D
    float64 arrays of one length, finite), built in parallel: the same
    spaces as ``KnnSpace(col[:, None], None, times)`` one by one."""
    cdef Py_ssize_t m = len(cols), n, c
    cdef const double *pc[64]
    cdef ib_kspace *out[64]
    cdef const double[::1] v
    cdef const int64_t[::1] tv
    cdef const int64_t *pt = NULL
    cdef int st
    cdef KnnSpace sp
    if m == 0:
        return []
    if m > 64:
        raise ValueError("spaces_1d builds at most 64 spaces at once")
    arrs = [np.ascontiguousarray(a, dtype=np.float64).reshape(-1) for a in cols]
    n = arrs[0].shape[0]
    if any(a.shape[0] != n for a in arrs):
        raise ValueError("spaces_1d needs columns of one length")
    if n == 0 or any(not np.isfinite(a).all() for a in arrs):
        return [KnnSpace(a[:, None], None, times) for a in arrs]
    for c in range(m):
        v = arrs[c]
        pc[c] = &v[0]
    ta = None
    if times is not None:
        ta = np.ascontiguousarray(times, dtype=np.int64)
        if ta.shape != (n,) or (n > 1 and not (np.diff(ta) > 0).all()):
            raise ValueError(f"times must be {n} strictly increasing stamps")
        tv = ta
        pt = &tv[0]
    with nogil:
        st = ib_kspace_build_many_1d(m, n, pc, pt, out)
    _check(st)
    res = []
    for c in range(m):
        sp = KnnSpace(np.empty((0, 0)), (0,))
        sp.s = out[c]
        sp.n = n
        sp.d = 1
        sp.groups = (1,)
        sp._times = ta
        res.append(sp)
    return res
