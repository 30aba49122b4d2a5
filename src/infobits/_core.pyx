# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_reduce.c
# distutils: include_dirs = csrc
"""Compiled entry points for the measures on probability arrays.

Thin typed wrappers: they take 3-D strided views (K, R, C), release the GIL
around the C kernel and turn its status code into an exception.  All
argument checking and axis handling lives in :mod:`infobits.measures`.
"""
import numpy as np

include "_dispatch.pxi"

cdef extern from "ib_reduce.h" nogil:
    int IB_TERM_ENTR, IB_TERM_KL, IB_TERM_MI, IB_TERM_JS, IB_TERM_POW, IB_TERM_SQ, IB_TERM_SQRT
    int IB_NAN_OMIT, IB_NAN_PROPAGATE, IB_NAN_RAISE
    double IB_PROB_HI
    int ib_reduce_f64(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R, ib_ssize C,
                      const double *a, const ib_ssize *sa,
                      const double *b, const ib_ssize *sb,
                      const double *c, const ib_ssize *sc, double *out, double *sums)
    int ib_reduce_f32(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R, ib_ssize C,
                      const float *a, const ib_ssize *sa,
                      const float *b, const ib_ssize *sb,
                      const float *c, const ib_ssize *sc, double *out, double *sums)
    int ib_reduce_margins_f64(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                              ib_ssize C, const double *a, const ib_ssize *sa,
                              const double *b, const ib_ssize *sb,
                              const double *c, const ib_ssize *sc, double *out,
                              double *sums, double *rowsum, double *colsum)
    int ib_reduce_margins_f32(int term, double par, int policy, int chk, ib_ssize K, ib_ssize R,
                              ib_ssize C, const float *a, const ib_ssize *sa,
                              const float *b, const ib_ssize *sb,
                              const float *c, const ib_ssize *sc, double *out,
                              double *sums, double *rowsum, double *colsum)
    int ib_margins_f64(ib_ssize R, ib_ssize C, const double *a, ib_ssize s0,
                       ib_ssize s1, double *rowsum, double *colsum)
    int ib_margins_f32(ib_ssize R, ib_ssize C, const float *a, ib_ssize s0,
                       ib_ssize s1, double *rowsum, double *colsum)
    void ib_vlog_f64(const double *x, double *y, ib_ssize n)
    void ib_vexp_f64(const double *x, double *y, ib_ssize n)
    void ib_vlog1p_f64(const double *x, double *y, ib_ssize n)
    void ib_vexp_f32(const float *x, float *y, ib_ssize n)
    void ib_vlog_f32(const float *x, float *y, ib_ssize n)
    void ib_vexp_diff_f32(const float *x, const float *m, float *y, ib_ssize n)

TERM_ENTR = IB_TERM_ENTR
TERM_KL = IB_TERM_KL
TERM_MI = IB_TERM_MI
TERM_JS = IB_TERM_JS
TERM_POW = IB_TERM_POW
TERM_SQ = IB_TERM_SQ
TERM_SQRT = IB_TERM_SQRT
NAN_POLICIES = {"omit": IB_NAN_OMIT, "propagate": IB_NAN_PROPAGATE,
                "raise": IB_NAN_RAISE}
# The largest entry the range check accepts: 1 plus rounding (a marginal
# summed from a joint table may exceed 1 by a few ulps).
PROB_HI = IB_PROB_HI
# The sum-to-one check: |sum - 1| > SUM_TOL[dtype] warns.  p = c / c.sum()
# in the input's own dtype never comes near these (float64: about 1e-15,
# float32: about 1e-6 for n up to 1e8); anything off by 1e-3 or more warns.
SUM_TOL_F64 = 1e-5
SUM_TOL_F32 = 1e-4
cdef double _TOL64 = SUM_TOL_F64


class InvalidValueError(ValueError):
    """A value outside the probability range (or a NaN under
    nan_policy='raise') was found by a kernel; the caller locates it."""


ctypedef fused floating:
    float
    double


cdef int _strides(const floating[:, :, :] v, ib_ssize *s) except -1:
    cdef int i
    for i in range(3):
        if v.strides[i] % <Py_ssize_t>sizeof(floating):
            raise ValueError("array strides must be multiples of the item size")
        s[i] = v.strides[i] // <Py_ssize_t>sizeof(floating)
    return 0


cdef int _reduce(int term, int policy, int chk, const floating[:, :, :] a,
                 const floating[:, :, :] b, const floating[:, :, :] c,
                 double[::1] out, double[::1] sums, double[::1] rows=None,
                 double[::1] cols=None, double par=0.0) except -1:
    cdef ib_ssize sa[3]
    cdef ib_ssize sb[3]
    cdef ib_ssize sc[3]
    cdef const floating *pa = NULL
    cdef const floating *pb = NULL
    cdef const floating *pc = NULL
    cdef ib_ssize K = a.shape[0], R = a.shape[1], C = a.shape[2]
    cdef int status
    cdef double *prow = NULL
    cdef double *pcol = NULL
    cdef double *psum = NULL
    if out.shape[0] != K:
        raise ValueError("out has the wrong length")
    if sums is not None:
        if sums.shape[0] != 2 * K:
            raise ValueError("sums needs length 2 K")
        if K > 0:
            psum = &sums[0]
    if rows is not None:
        if K != 1 or rows.shape[0] != R or cols is None or cols.shape[0] != C:
            raise ValueError("margins need K == 1 and rows/cols of lengths R, C")
        if R > 0 and C > 0:
            prow = &rows[0]
            pcol = &cols[0]
        else:
            rows[:] = 0.0
            cols[:] = 0.0
    if K == 0:
        return 0
    if R == 0 or C == 0:
        out[:] = 0.0
        if sums is not None:
            sums[:] = 0.0
        return 0
    _strides(a, sa)
    pa = &a[0, 0, 0]
    if b is not None:
        if b.shape[0] != K or b.shape[1] != R or b.shape[2] != C:
            raise ValueError("operand shapes differ")
        _strides(b, sb)
        pb = &b[0, 0, 0]
    if c is not None:
        if c.shape[0] != K or c.shape[1] != R or c.shape[2] != C:
            raise ValueError("operand shapes differ")
        _strides(c, sc)
        pc = &c[0, 0, 0]
    with nogil:
        if floating is double:
            status = ib_reduce_margins_f64(term, par, policy, chk, K, R, C, pa, sa, pb, sb,
                                           pc, sc, &out[0], psum, prow, pcol)
        else:
            status = ib_reduce_margins_f32(term, par, policy, chk, K, R, C, pa, sa, pb, sb,
                                           pc, sc, &out[0], psum, prow, pcol)
    if status == IB_EINVAL:
        raise InvalidValueError("value outside the probability range")
    _raise_status(status)
    return 0


def reduce_f64(int term, int policy, int chk, const double[:, :, :] a,
               const double[:, :, :] b, const double[:, :, :] c,
               double[::1] out, double[::1] sums=None, double par=0.0):
    """out[k] = sum over (r, c) of term(a, b, c), float64 operands, in nats.

    chk: bit o set checks operand o's probability range (policies other
    than "omit"); sums (length 2 K, optional): the per-output sums of a and
    (KL, JS) b, from the same pass; par: the term's parameter (TERM_POW:
    the exponent, finite and >= 0)."""
    _reduce[double](term, policy, chk, a, b, c, out, sums, None, None, par)


def reduce_f32(int term, int policy, int chk, const float[:, :, :] a,
               const float[:, :, :] b, const float[:, :, :] c,
               double[::1] out, double[::1] sums=None, double par=0.0):
    """As reduce_f64 for float32 operands (accumulated in float64)."""
    _reduce[float](term, policy, chk, a, b, c, out, sums, None, None, par)


def reduce_margins_f64(int term, int policy, int chk, const double[:, :, :] a,
                       const double[:, :, :] b, const double[:, :, :] c,
                       double[::1] out, double[::1] sums, double[::1] rows,
                       double[::1] cols, double par=0.0):
    """reduce_f64 with K == 1 that also fills rows (R) and cols (C) with the
    row and column sums of a, from the same pass (for checks: their
    summation order may depend on the thread count).  out is bitwise
    reduce_f64's."""
    _reduce[double](term, policy, chk, a, b, c, out, sums, rows, cols, par)


def reduce_margins_f32(int term, int policy, int chk, const float[:, :, :] a,
                       const float[:, :, :] b, const float[:, :, :] c,
                       double[::1] out, double[::1] sums, double[::1] rows,
                       double[::1] cols, double par=0.0):
    """As reduce_margins_f64 for float32 operands."""
    _reduce[float](term, policy, chk, a, b, c, out, sums, rows, cols, par)


cdef int _margins(const floating[:, :] a, double[::1] rowsum,
                  double[::1] colsum) except -1:
    cdef ib_ssize R = a.shape[0], C = a.shape[1], s0, s1
    cdef int status = 0
    if rowsum.shape[0] != R or colsum.shape[0] != C:
        raise ValueError("rowsum/colsum have the wrong length")
    if R == 0 or C == 0:
        rowsum[:] = 0.0
        colsum[:] = 0.0
        return 0
    if a.strides[0] % <Py_ssize_t>sizeof(floating) or a.strides[1] % <Py_ssize_t>sizeof(floating):
        raise ValueError("array strides must be multiples of the item size")
    s0 = a.strides[0] // <Py_ssize_t>sizeof(floating)
    s1 = a.strides[1] // <Py_ssize_t>sizeof(floating)
    with nogil:
        if floating is double:
            status = ib_margins_f64(R, C, &a[0, 0], s0, s1, &rowsum[0], &colsum[0])
        else:
            status = ib_margins_f32(R, C, &a[0, 0], s0, s1, &rowsum[0], &colsum[0])
    _raise_status(status)
    return 0


def margins_f64(const double[:, :] a, double[::1] rowsum, double[::1] colsum):
    """Row sums and column sums of a 2-D float64 array, one pass, a fixed
    order independent of the memory layout."""
    _margins[double](a, rowsum, colsum)


def margins_f32(const float[:, :] a, double[::1] rowsum, double[::1] colsum):
    """As margins_f64 for float32 (summed in float64)."""
    _margins[float](a, rowsum, colsum)


cdef int _margins_batch(const floating[:, :, :] a, double[:, ::1] rowsum,
                        double[:, ::1] colsum) except -1:
    cdef ib_ssize K = a.shape[0], R = a.shape[1], C = a.shape[2], s0, s1, k
    cdef int status = 0
    if rowsum.shape[0] != K or colsum.shape[0] != K or rowsum.shape[1] != R \
            or colsum.shape[1] != C:
        raise ValueError("rowsum/colsum have the wrong shape")
    if K == 0:
        return 0
    if R == 0 or C == 0:
        rowsum[:, :] = 0.0
        colsum[:, :] = 0.0
        return 0
    for k in range(3):
        if a.strides[k] % <Py_ssize_t>sizeof(floating):
            raise ValueError("array strides must be multiples of the item size")
    s0 = a.strides[1] // <Py_ssize_t>sizeof(floating)
    s1 = a.strides[2] // <Py_ssize_t>sizeof(floating)
    with nogil:
        for k in range(K):
            if floating is double:
                status = ib_margins_f64(R, C, &a[k, 0, 0], s0, s1, &rowsum[k, 0],
                                        &colsum[k, 0])
            else:
                status = ib_margins_f32(R, C, &a[k, 0, 0], s0, s1, &rowsum[k, 0],
                                        &colsum[k, 0])
            if status != IB_OK:
                break
    _raise_status(status)
    return 0


def margins_batch_f64(const double[:, :, :] a, double[:, ::1] rowsum,
                      double[:, ::1] colsum):
    """margins_f64 of each table a[k] (a batch of joint tables): the same
    bits per table as margins_f64."""
    _margins_batch[double](a, rowsum, colsum)


def margins_batch_f32(const float[:, :, :] a, double[:, ::1] rowsum,
                      double[:, ::1] colsum):
    """As margins_batch_f64 for float32 tables (summed in float64)."""
    _margins_batch[float](a, rowsum, colsum)


def _vec(int which, x):
    cdef const double[::1] xv = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y = np.empty(xv.shape[0], dtype=np.float64)
    cdef double[::1] yv = y
    cdef ib_ssize n = xv.shape[0]
    if n == 0:
        return y
    with nogil:
        if which == 0:
            ib_vlog_f64(&xv[0], &yv[0], n)
        elif which == 1:
            ib_vexp_f64(&xv[0], &yv[0], n)
        else:
            ib_vlog1p_f64(&xv[0], &yv[0], n)
    return y


def _vec_log(x):
    """Test hook: elementwise ib_log_f64 of a float64 array."""
    return _vec(0, x)


def _vec_exp(x):
    """Test hook: elementwise ib_exp_f64 of a float64 array."""
    return _vec(1, x)


def _vec_log1p(x):
    """Test hook: elementwise ib_log1p_f64 of a float64 array."""
    return _vec(2, x)


def _vec_exp_f32(x):
    """Test hook: elementwise ib_exp_f32 of a float32 array."""
    cdef const float[::1] xv = np.ascontiguousarray(x, dtype=np.float32).ravel()
    y = np.empty(xv.shape[0], dtype=np.float32)
    cdef float[::1] yv = y
    cdef ib_ssize n = xv.shape[0]
    if n == 0:
        return y
    with nogil:
        ib_vexp_f32(&xv[0], &yv[0], n)
    return y


def _vec_log_f32(x):
    """Test hook: elementwise ib_log_f32 of a float32 array."""
    cdef const float[::1] xv = np.ascontiguousarray(x, dtype=np.float32).ravel()
    y = np.empty(xv.shape[0], dtype=np.float32)
    cdef float[::1] yv = y
    cdef ib_ssize n = xv.shape[0]
    if n == 0:
        return y
    with nogil:
        ib_vlog_f32(&xv[0], &yv[0], n)
    return y


def _vec_exp_diff_f32(x, m):
    """Test hook: elementwise ib_exp_diff_f32(x, m) = exp(x - m) of two
    float32 arrays of the same size."""
    cdef const float[::1] xv = np.ascontiguousarray(x, dtype=np.float32).ravel()
    cdef const float[::1] mv = np.ascontiguousarray(m, dtype=np.float32).ravel()
    if mv.shape[0] != xv.shape[0]:
        raise ValueError("x and m must have the same size")
    y = np.empty(xv.shape[0], dtype=np.float32)
    cdef float[::1] yv = y
    cdef ib_ssize n = xv.shape[0]
    if n == 0:
        return y
    with nogil:
        ib_vexp_diff_f32(&xv[0], &mv[0], &yv[0], n)
    return y


def reduce1_f64(int term, int policy, const double[::1] a, const double[::1] b=None,
                int chk=0, double par=0.0):
    """Fast path: sum of terms over one contiguous float64 vector (nats).

    Returns a C double as a Python float; raises InvalidValueError as
    reduce_f64 does.  ``b`` must have a's length when given.
    """
    cdef ib_ssize s[3]
    cdef double out = 0.0
    cdef ib_ssize n = a.shape[0]
    cdef const double *pb = NULL
    cdef int status
    s[0] = 0
    s[1] = 0
    s[2] = 1
    if n == 0:
        return 0.0
    if b is not None:
        if b.shape[0] != n:
            raise ValueError("operand shapes differ")
        pb = &b[0]
    with nogil:
        status = ib_reduce_f64(term, par, policy, chk, 1, 1, n, &a[0], s, pb, s, NULL, s,
                               &out, NULL)
    if status == IB_EINVAL:
        raise InvalidValueError("value outside the probability range")
    _raise_status(status)
    return out


cimport numpy as cnp
from libc.math cimport fabs
from libc.stdlib cimport malloc, free
cnp.import_array()


cdef inline bint _plain_f64(object x, int ndim):
    """x is exactly an ndarray (no subclass) of native float64, aligned,
    C-contiguous, of ndim dimensions."""
    if type(x) is not cnp.ndarray:
        return False
    cdef cnp.ndarray a = <cnp.ndarray>x
    return (cnp.PyArray_NDIM(a) == ndim and cnp.PyArray_TYPE(a) == cnp.NPY_DOUBLE
            and cnp.PyArray_ISCARRAY_RO(a) and cnp.PyArray_ISNOTSWAPPED(a))


def fast1_f64(int term, int policy, object a, object b=None, double par=0.0):
    """Small-call fast path: the sum of terms (nats) over one or two plain
    1-D float64 arrays of equal length, every operand range-checked (policies
    other than "omit"), or None when the operands are not plain arrays or
    a sum is off 1 beyond SUM_TOL_F64 (the caller then takes the general
    path, which warns).  Raises InvalidValueError as reduce_f64 does."""
    cdef ib_ssize s[3]
    cdef double out = 0.0
    cdef double sums[2]
    cdef ib_ssize n
    cdef const double *pb = NULL
    cdef int status
    if not _plain_f64(a, 1):
        return None
    n = cnp.PyArray_DIM(<cnp.ndarray>a, 0)
    if b is not None:
        if not _plain_f64(b, 1) or cnp.PyArray_DIM(<cnp.ndarray>b, 0) != n:
            return None
        pb = <const double *>cnp.PyArray_DATA(<cnp.ndarray>b)
    if n == 0:
        return 0.0
    s[0] = 0
    s[1] = 0
    s[2] = 1
    cdef const double *pa = <const double *>cnp.PyArray_DATA(<cnp.ndarray>a)
    with nogil:
        status = ib_reduce_f64(term, par, policy, 7, 1, 1, n, pa, s, pb, s, NULL, s, &out,
                               sums)
    if status == IB_EINVAL:
        raise InvalidValueError("value outside the probability range")
    _raise_status(status)
    if policy != IB_NAN_OMIT:
        if fabs(sums[0] - 1.0) > _TOL64:
            return None
        if pb != NULL and term != IB_TERM_MI and fabs(sums[1] - 1.0) > _TOL64:
            return None
    return out


def mi_joint_f64(int policy, object pxy):
    """Fast path of mutual_information(p_xy) with derived marginals: the
    sum of MI terms (nats) of a plain 2-D float64 C-ordered non-empty
    joint, its marginals from ib_margins_f64 (the bits of the general path:
    the same margins, the same reduction), the joint range-checked, or None
    when not eligible or when the joint's total is off 1 (the general path
    then warns)."""
    cdef ib_ssize sa[3]
    cdef ib_ssize sb[3]
    cdef ib_ssize sc[3]
    cdef double out = 0.0
    cdef double total = 0.0
    cdef int status
    cdef ib_ssize i
    if not _plain_f64(pxy, 2):
        return None
    cdef ib_ssize R = cnp.PyArray_DIM(<cnp.ndarray>pxy, 0)
    cdef ib_ssize C = cnp.PyArray_DIM(<cnp.ndarray>pxy, 1)
    if R <= 0 or C <= 0:
        return None
    cdef const double *pa = <const double *>cnp.PyArray_DATA(<cnp.ndarray>pxy)
    cdef double *m = <double *>malloc(<size_t>(R + C) * sizeof(double))
    if m == NULL:
        raise MemoryError()
    sa[0] = 0
    sa[1] = C
    sa[2] = 1
    sb[0] = 0
    sb[1] = 1
    sb[2] = 0
    sc[0] = 0
    sc[1] = 0
    sc[2] = 1
    with nogil:
        status = ib_margins_f64(R, C, pa, C, 1, m, m + R)
        if status == IB_OK:
            status = ib_reduce_f64(IB_TERM_MI, 0.0, policy, 1, 1, R, C, pa, sa, m, sb,
                                   m + R, sc, &out, NULL)
        for i in range(R):
            total += m[i]
    free(m)
    if status == IB_EINVAL:
        raise InvalidValueError("value outside the probability range")
    _raise_status(status)
    if policy != IB_NAN_OMIT and fabs(total - 1.0) > _TOL64:
        return None
    return out
