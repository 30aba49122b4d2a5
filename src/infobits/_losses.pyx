# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_losses.c
# distutils: include_dirs = csrc
"""Compiled entry points for the multiclass losses.

Thin typed wrappers over the row kernels of ``csrc/ib_losses.c``: they take
(N, K) views whose rows are contiguous, release the GIL around the kernel
and turn its status into an exception.  Argument checking, label conversion
and reductions live in :mod:`infobits.losses`.
"""
from libc.stdint cimport int64_t

import numpy as _np

include "_dispatch.pxi"

cdef extern from "ib_losses.h" nogil:
    int IB_LOSS_CE, IB_LOSS_NLL, IB_LOSS_FOCAL
    int IB_IN_LOGITS, IB_IN_PROBS, IB_IN_LOGPROBS
    ctypedef struct ib_loss_args:
        int kind
        int mode
        ib_ssize N, K
        const void *x
        ib_ssize ldx
        const int64_t *y
        const void *t
        ib_ssize ldt
        const double *w
        double wsum
        int has_ignore
        int64_t ignore
        double eps
        double gamma
        double alpha
        const double *alpha_v
        double gscale
        void *g
        ib_ssize ldg
        double *rows
        double total
        ib_ssize bad_row
        int probs_checked
        ib_ssize nvalid
    int ib_loss_f64(ib_loss_args *a)
    int ib_loss_f32(ib_loss_args *a)
    int ib_label_denominator(ib_ssize N, ib_ssize K, const int64_t *y,
                             const double *w, int has_ignore, int64_t ignore,
                             double *den, ib_ssize *nvalid, ib_ssize *bad_row)

LOSS_CE = IB_LOSS_CE
LOSS_NLL = IB_LOSS_NLL
LOSS_FOCAL = IB_LOSS_FOCAL
IN_LOGITS = IB_IN_LOGITS
IN_PROBS = IB_IN_PROBS
IN_LOGPROBS = IB_IN_LOGPROBS


class LabelError(IndexError):
    """A class label outside [0, K); ``args[1]`` is the offending row."""


class ProbabilityError(ValueError):
    """A probability read by the loss outside [0, 1]; ``args[1]`` is its row."""


ctypedef fused floating:
    float
    double


cdef ib_ssize _row_stride(const floating[:, :] v, str name) except? -1:
    cdef Py_ssize_t item = sizeof(floating)
    if v.shape[1] > 1 and v.strides[1] != item:
        raise ValueError(f"{name} rows must be contiguous")
    if v.strides[0] % item:
        raise ValueError(f"{name} strides must be multiples of the item size")
    return v.strides[0] // item


cdef int _run(int kind, int mode, const floating[:, :] x,
              const int64_t[::1] y, const floating[:, :] t,
              const double[::1] w, double wsum, bint has_ignore,
              int64_t ignore, double eps, double gamma, double alpha,
              const double[::1] alpha_v, double gscale,
              floating[:, ::1] g, double[::1] rows, double *total,
              ib_ssize *nvalid, int *checked) except -1:
    cdef ib_loss_args a
    cdef int status
    cdef ib_ssize N = x.shape[0], K = x.shape[1]
    a.kind = kind
    a.mode = mode
    a.N = N
    a.K = K
    a.x = NULL
    a.ldx = 0
    a.y = NULL
    a.t = NULL
    a.ldt = 0
    a.w = NULL
    a.wsum = wsum
    a.has_ignore = has_ignore
    a.ignore = ignore
    a.eps = eps
    a.gamma = gamma
    a.alpha = alpha
    a.alpha_v = NULL
    a.gscale = gscale
    a.g = NULL
    a.ldg = 0
    a.rows = NULL
    a.total = 0.0
    a.bad_row = -1
    a.nvalid = -1
    a.probs_checked = 0
    checked[0] = 0
    total[0] = 0.0
    nvalid[0] = 0 if y is not None else -1
    if N == 0:
        return 0
    if y is not None:
        if y.shape[0] != N:
            raise ValueError("y has the wrong length")
        a.y = &y[0]
    elif t is None:
        raise ValueError("labels or soft targets are required")
    if t is not None:
        if t.shape[0] != N or t.shape[1] != K:
            raise ValueError("soft targets have the wrong shape")
        if K > 0:
            a.ldt = _row_stride(t, "y")
            a.t = &t[0, 0]
    if w is not None:
        if w.shape[0] != K:
            raise ValueError("weight has the wrong length")
        if K > 0:
            a.w = &w[0]
    if alpha_v is not None:
        if alpha_v.shape[0] != K:
            raise ValueError("alpha has the wrong length")
        if K > 0:
            a.alpha_v = &alpha_v[0]
    if g is not None:
        if g.shape[0] != N or g.shape[1] != K:
            raise ValueError("gradient buffer has the wrong shape")
        if K > 0:
            a.g = &g[0, 0]
            a.ldg = K
    if rows is not None:
        if rows.shape[0] != N:
            raise ValueError("rows buffer has the wrong length")
        a.rows = &rows[0]
    if K > 0:
        a.ldx = _row_stride(x, "y_hat")
        a.x = &x[0, 0]
    with nogil:
        if floating is double:
            status = ib_loss_f64(&a)
        else:
            status = ib_loss_f32(&a)
    if status == IB_EINDEX:
        raise LabelError("class label out of range", a.bad_row)
    if status == IB_EDOMAIN:
        raise ProbabilityError("probability outside [0, 1]", a.bad_row)
    _raise_status(status)
    checked[0] = a.probs_checked
    total[0] = a.total
    nvalid[0] = a.nvalid
    return 0


def loss_f64(int kind, int mode, const double[:, :] x, const int64_t[::1] y,
             const double[:, :] t, const double[::1] w, double wsum,
             bint has_ignore, int64_t ignore, double eps, double gamma,
             double alpha, const double[::1] alpha_v, double gscale,
             double[:, ::1] g, double[::1] rows):
    """Run one loss kernel on float64 rows.

    Returns (summed row losses, number of rows with a non-ignored label,
    whether the kernel checked the probabilities it read), the count -1 with
    soft targets.
    """
    cdef double total = 0.0
    cdef ib_ssize nvalid = 0
    cdef int checked = 0
    _run[double](kind, mode, x, y, t, w, wsum, has_ignore, ignore, eps,
                 gamma, alpha, alpha_v, gscale, g, rows, &total, &nvalid,
                 &checked)
    return total, nvalid, bool(checked)


def loss_f32(int kind, int mode, const float[:, :] x, const int64_t[::1] y,
             const float[:, :] t, const double[::1] w, double wsum,
             bint has_ignore, int64_t ignore, double eps, double gamma,
             double alpha, const double[::1] alpha_v, double gscale,
             float[:, ::1] g, double[::1] rows):
    """As loss_f64 for float32 rows (row losses and sums in float64)."""
    cdef double total = 0.0
    cdef ib_ssize nvalid = 0
    cdef int checked = 0
    _run[float](kind, mode, x, y, t, w, wsum, has_ignore, ignore, eps,
                gamma, alpha, alpha_v, gscale, g, rows, &total, &nvalid,
                &checked)
    return total, nvalid, bool(checked)


def label_denominator(ib_ssize K, const int64_t[::1] y, const double[::1] w,
                      bint has_ignore, int64_t ignore):
    """(sum of w[y_i] or count over non-ignored rows, number of them).

    Raises LabelError(msg, row) for a label outside [0, K).
    """
    cdef double den = 0.0
    cdef ib_ssize nvalid = 0, bad = -1
    cdef ib_ssize N = y.shape[0]
    cdef const double *pw = NULL
    cdef int status
    if N == 0:
        return 0.0, 0
    if w is not None:
        if w.shape[0] != K:
            raise ValueError("weight has the wrong length")
        if K > 0:
            pw = &w[0]
    with nogil:
        status = ib_label_denominator(N, K, &y[0], pw, has_ignore, ignore,
                                      &den, &nvalid, &bad)
    if status == IB_EINDEX:
        raise LabelError("class label out of range", bad)
    _raise_status(status)
    return den, nvalid


# ------------------------------------------------- small-call fast path --

cimport numpy as cnp
cnp.import_array()


def ce_logits_mean(object x_, object y_, bint want_grad):
    """Mean cross-entropy from logits with class labels, no weights,
    smoothing or ignored label (the gradient scaled by 1/N), for a plain
    (N, K) float array x (exactly an ndarray, native, aligned, C-contiguous,
    N, K > 0) and a plain (N,) int64 array y.  Returns the loss, or (loss,
    grad) with want_grad; None for any other input or a label out of range
    (the caller then takes the general path, which reports it)."""
    if type(x_) is not cnp.ndarray or type(y_) is not cnp.ndarray:
        return None
    cdef cnp.ndarray x = <cnp.ndarray>x_
    cdef cnp.ndarray y = <cnp.ndarray>y_
    cdef int tn = cnp.PyArray_TYPE(x)
    if tn != cnp.NPY_DOUBLE and tn != cnp.NPY_FLOAT:
        return None
    if (cnp.PyArray_NDIM(x) != 2 or not cnp.PyArray_ISCARRAY_RO(x)
            or not cnp.PyArray_ISNOTSWAPPED(x)):
        return None
    if (cnp.PyArray_NDIM(y) != 1 or cnp.PyArray_TYPE(y) != cnp.NPY_INT64
            or not cnp.PyArray_ISCARRAY_RO(y) or not cnp.PyArray_ISNOTSWAPPED(y)):
        return None
    cdef ib_ssize N = cnp.PyArray_DIM(x, 0), K = cnp.PyArray_DIM(x, 1)
    if N == 0 or K == 0 or cnp.PyArray_DIM(y, 0) != N:
        return None
    cdef cnp.ndarray g = None
    cdef ib_loss_args a
    cdef int status
    a.kind = IB_LOSS_CE
    a.mode = IB_IN_LOGITS
    a.N = N
    a.K = K
    a.x = cnp.PyArray_DATA(x)
    a.ldx = K
    a.y = <const int64_t *>cnp.PyArray_DATA(y)
    a.t = NULL
    a.ldt = 0
    a.w = NULL
    a.wsum = <double>K
    a.has_ignore = 0
    a.ignore = 0
    a.eps = 0.0
    a.gamma = 0.0
    a.alpha = 1.0
    a.alpha_v = NULL
    a.gscale = 1.0
    a.g = NULL
    a.ldg = 0
    a.rows = NULL
    if want_grad:
        g = cnp.PyArray_EMPTY(2, cnp.PyArray_DIMS(x), tn, 0)
        a.g = cnp.PyArray_DATA(g)
        a.ldg = K
        a.gscale = 1.0 / <double>N
    with nogil:
        if tn == cnp.NPY_DOUBLE:
            status = ib_loss_f64(&a)
        else:
            status = ib_loss_f32(&a)
    if status == IB_EINDEX:
        return None
    _raise_status(status)
    loss = _np.float64(a.total / <double>N)
    if want_grad:
        return loss, g
    return loss
