# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_numerics.c
# distutils: include_dirs = csrc
"""Compiled entry points for log-sum-exp, softmax, softplus and the binary
losses.

Thin typed wrappers over 2-D strided views (R, C): they check shapes,
release the GIL around the C kernel and turn its status into an exception.
Argument checking and axis handling live in :mod:`infobits.numerics` and
:mod:`infobits.binary`.
"""
import numpy as _np

include "_dispatch.pxi"

cdef extern from "ib_numerics.h" nogil:
    int IB_BIN_PROB, IB_BIN_LOGITS, IB_BIN_FOCAL
    ctypedef struct ib_binary_params:
        int kind
        double gamma
        double alpha
        double grad_scale
    int ib_logsumexp_f64(ib_ssize R, ib_ssize C, const double *a, const ib_ssize *sa,
                         const double *b, const ib_ssize *sb, double *out, double *sgn)
    int ib_logsumexp_f32(ib_ssize R, ib_ssize C, const float *a, const ib_ssize *sa,
                         const float *b, const ib_ssize *sb, double *out, double *sgn)
    int ib_softmax_f64(int logsm, ib_ssize R, ib_ssize C, const double *x,
                       const ib_ssize *sx, double *out, const ib_ssize *so)
    int ib_softmax_f32(int logsm, ib_ssize R, ib_ssize C, const float *x,
                       const ib_ssize *sx, float *out, const ib_ssize *so)
    int ib_log1pexp_f64(int neg, ib_ssize n, const double *x, ib_ssize sx,
                        double *y, ib_ssize sy)
    int ib_log1pexp_f32(int neg, ib_ssize n, const float *x, ib_ssize sx,
                        float *y, ib_ssize sy)
    int ib_binary_f64(const ib_binary_params *p, ib_ssize R, ib_ssize C,
                      const double *x, const ib_ssize *sx,
                      const double *y, const ib_ssize *sy,
                      const double *w, const ib_ssize *sw,
                      const double *pw, const ib_ssize *spw,
                      double *loss, double *grad, double *total)
    int ib_binary_f32(const ib_binary_params *p, ib_ssize R, ib_ssize C,
                      const float *x, const ib_ssize *sx,
                      const float *y, const ib_ssize *sy,
                      const float *w, const ib_ssize *sw,
                      const float *pw, const ib_ssize *spw,
                      float *loss, float *grad, double *total)
    void ib_vexp_scaled_f64(const double *x, double *y, ib_ssize n)
    void ib_vexp16_scaled_f64(const double *x, double *y, ib_ssize n)

BIN_PROB = IB_BIN_PROB
BIN_LOGITS = IB_BIN_LOGITS
BIN_FOCAL = IB_BIN_FOCAL

ctypedef fused floating:
    float
    double


cdef int _strides2(const floating[:, :] v, ib_ssize *s) except -1:
    cdef int i
    for i in range(2):
        if v.strides[i] % <Py_ssize_t>sizeof(floating):
            raise ValueError("array strides must be multiples of the item size")
        s[i] = v.strides[i] // <Py_ssize_t>sizeof(floating)
    return 0


cdef int _check_same(const floating[:, :] v, ib_ssize R, ib_ssize C, str name) except -1:
    if v.shape[0] != R or v.shape[1] != C:
        raise ValueError(f"{name} has shape ({v.shape[0]}, {v.shape[1]}); "
                         f"expected ({R}, {C})")
    return 0


# ------------------------------------------------------------------- lse --

cdef int _lse(const floating[:, :] a, const floating[:, :] b, double[::1] out,
              double[::1] sgn) except -1:
    cdef ib_ssize R = a.shape[0], C = a.shape[1]
    cdef ib_ssize sa[2]
    cdef ib_ssize sb[2]
    cdef const floating *pa = NULL
    cdef const floating *pb = NULL
    cdef double *ps = NULL
    cdef int status
    if out.shape[0] != R:
        raise ValueError("out has the wrong length")
    if sgn is not None:
        if sgn.shape[0] != R:
            raise ValueError("sgn has the wrong length")
        if R > 0:
            ps = &sgn[0]
    if R == 0:
        return 0
    sa[0] = sa[1] = sb[0] = sb[1] = 0
    if C > 0:
        _strides2(a, sa)
        pa = &a[0, 0]
        if b is not None:
            _check_same(b, R, C, "b")
            _strides2(b, sb)
            pb = &b[0, 0]
    with nogil:
        if floating is double:
            status = ib_logsumexp_f64(R, C, pa, sa, pb, sb, &out[0], ps)
        else:
            status = ib_logsumexp_f32(R, C, pa, sa, pb, sb, &out[0], ps)
    _raise_status(status)
    return 0


def logsumexp_f64(const double[:, :] a, const double[:, :] b, double[::1] out,
                  double[::1] sgn):
    """out[r] = log|sum_k b[r, k] exp(a[r, k])|; sgn[r] its sign (b, sgn may be None)."""
    _lse[double](a, b, out, sgn)


def logsumexp_f32(const float[:, :] a, const float[:, :] b, double[::1] out,
                  double[::1] sgn):
    """As logsumexp_f64 for float32 operands (accumulated in float64)."""
    _lse[float](a, b, out, sgn)


# --------------------------------------------------------------- softmax --

cdef int _softmax(int logsm, const floating[:, :] x, floating[:, :] out) except -1:
    cdef ib_ssize R = x.shape[0], C = x.shape[1]
    cdef ib_ssize sx[2]
    cdef ib_ssize so[2]
    cdef int status
    _check_same(out, R, C, "out")
    if R == 0 or C == 0:
        return 0
    _strides2(x, sx)
    _strides2(out, so)
    with nogil:
        if floating is double:
            status = ib_softmax_f64(logsm, R, C, &x[0, 0], sx, &out[0, 0], so)
        else:
            status = ib_softmax_f32(logsm, R, C, &x[0, 0], sx, &out[0, 0], so)
    _raise_status(status)
    return 0


def softmax_f64(bint logsm, const double[:, :] x, double[:, :] out):
    """Row-wise softmax (log_softmax if logsm) of x into out."""
    _softmax[double](logsm, x, out)


def softmax_f32(bint logsm, const float[:, :] x, float[:, :] out):
    """As softmax_f64 for float32 (sums in float64)."""
    _softmax[float](logsm, x, out)


# ------------------------------------------- small-call fast paths --

cimport numpy as cnp
cnp.import_array()


cdef inline int _plain_float(object x) except -2:
    """The type number of x if it is exactly an ndarray (no subclass) of
    native float32 or float64, aligned and C-contiguous, with 1 or 2
    dimensions and no zero-length axis; else -1."""
    if type(x) is not cnp.ndarray:
        return -1
    cdef cnp.ndarray a = <cnp.ndarray>x
    cdef int tn = cnp.PyArray_TYPE(a)
    cdef int nd = cnp.PyArray_NDIM(a)
    if tn != cnp.NPY_DOUBLE and tn != cnp.NPY_FLOAT:
        return -1
    if nd != 1 and nd != 2:
        return -1
    if not (cnp.PyArray_ISCARRAY_RO(a) and cnp.PyArray_ISNOTSWAPPED(a)):
        return -1
    if cnp.PyArray_SIZE(a) == 0:
        return -1
    return tn


def softmax_rows(object x, bint logsm):
    """softmax (log_softmax if logsm) over the last axis of a plain 1-D or
    2-D float array (see _plain_float) into a new array; None for any other
    input (the caller then takes the general path)."""
    cdef int tn = _plain_float(x)
    if tn < 0:
        return None
    cdef cnp.ndarray a = <cnp.ndarray>x
    cdef int nd = cnp.PyArray_NDIM(a)
    cdef ib_ssize C = cnp.PyArray_DIM(a, nd - 1)
    cdef ib_ssize R = cnp.PyArray_SIZE(a) // C
    cdef ib_ssize s[2]
    cdef int status
    cdef cnp.ndarray out = cnp.PyArray_EMPTY(nd, cnp.PyArray_DIMS(a), tn, 0)
    cdef const void *px = cnp.PyArray_DATA(a)
    cdef void *po = cnp.PyArray_DATA(out)
    s[0] = C
    s[1] = 1
    with nogil:
        if tn == cnp.NPY_DOUBLE:
            status = ib_softmax_f64(logsm, R, C, <const double *>px, s,
                                    <double *>po, s)
        else:
            status = ib_softmax_f32(logsm, R, C, <const float *>px, s,
                                    <float *>po, s)
    _raise_status(status)
    return out


def logsumexp_rows(object a_, bint whole):
    """logsumexp of a plain 1-D or 2-D float array (see _plain_float) over
    all its entries (whole) or over its last axis (2-D only), without
    weights, with the dtype of the input; None for any other input."""
    cdef int tn = _plain_float(a_)
    if tn < 0:
        return None
    cdef cnp.ndarray a = <cnp.ndarray>a_
    cdef int nd = cnp.PyArray_NDIM(a)
    if not whole and nd != 2:
        return None
    cdef ib_ssize n = cnp.PyArray_SIZE(a)
    cdef ib_ssize C = n if whole else cnp.PyArray_DIM(a, 1)
    cdef ib_ssize R = n // C
    cdef ib_ssize s[2]
    cdef int status
    cdef double one
    cdef cnp.ndarray out
    cdef double *po
    cdef const void *px = cnp.PyArray_DATA(a)
    cdef cnp.npy_intp dim = R
    s[0] = C
    s[1] = 1
    if whole:
        po = &one
    else:
        out = cnp.PyArray_EMPTY(1, &dim, cnp.NPY_DOUBLE, 0)
        po = <double *>cnp.PyArray_DATA(out)
    with nogil:
        if tn == cnp.NPY_DOUBLE:
            status = ib_logsumexp_f64(R, C, <const double *>px, s, NULL, NULL,
                                      po, NULL)
        else:
            status = ib_logsumexp_f32(R, C, <const float *>px, s, NULL, NULL,
                                      po, NULL)
    _raise_status(status)
    if tn == cnp.NPY_FLOAT:
        return _np.float32(one) if whole else out.astype(_np.float32)
    return _np.float64(one) if whole else out


# -------------------------------------------------------------- softplus --

cdef int _log1pexp(int neg, const floating[:] x, floating[:] y) except -1:
    cdef ib_ssize n = x.shape[0]
    cdef ib_ssize sx, sy
    cdef int status
    if y.shape[0] != n:
        raise ValueError("y has the wrong length")
    if n == 0:
        return 0
    if x.strides[0] % <Py_ssize_t>sizeof(floating) or y.strides[0] % <Py_ssize_t>sizeof(floating):
        raise ValueError("array strides must be multiples of the item size")
    sx = x.strides[0] // <Py_ssize_t>sizeof(floating)
    sy = y.strides[0] // <Py_ssize_t>sizeof(floating)
    with nogil:
        if floating is double:
            status = ib_log1pexp_f64(neg, n, &x[0], sx, &y[0], sy)
        else:
            status = ib_log1pexp_f32(neg, n, &x[0], sx, &y[0], sy)
    _raise_status(status)
    return 0


def log1pexp_f64(bint neg, const double[:] x, double[:] y):
    """y = log(1 + exp(x)), or -log(1 + exp(-x)) if neg."""
    _log1pexp[double](neg, x, y)


def log1pexp_f32(bint neg, const float[:] x, float[:] y):
    """As log1pexp_f64 for float32."""
    _log1pexp[float](neg, x, y)


# --------------------------------------------------------- binary losses --

cdef double _binary(int kind, double gamma, double alpha, double grad_scale,
                    const floating[:, :] x, const floating[:, :] y,
                    const floating[:, :] w, const floating[:, :] pw,
                    floating[::1] loss, floating[::1] grad) except? -1.0:
    cdef ib_binary_params p
    cdef ib_ssize R = x.shape[0], C = x.shape[1]
    cdef ib_ssize sx[2]
    cdef ib_ssize sy[2]
    cdef ib_ssize sw[2]
    cdef ib_ssize sp[2]
    cdef const floating *pw_ = NULL
    cdef const floating *ppw = NULL
    cdef floating *pl = NULL
    cdef floating *pg = NULL
    cdef double total = 0.0
    cdef int status
    p.kind = kind
    p.gamma = gamma
    p.alpha = alpha
    p.grad_scale = grad_scale
    _check_same(y, R, C, "y")
    if w is not None:
        _check_same(w, R, C, "weight")
    if pw is not None:
        _check_same(pw, R, C, "pos_weight")
    if loss is not None and loss.shape[0] != R * C:
        raise ValueError("loss has the wrong length")
    if grad is not None and grad.shape[0] != R * C:
        raise ValueError("grad has the wrong length")
    if R == 0 or C == 0:
        return 0.0
    _strides2(x, sx)
    _strides2(y, sy)
    sw[0] = sw[1] = sp[0] = sp[1] = 0
    if w is not None:
        _strides2(w, sw)
        pw_ = &w[0, 0]
    if pw is not None:
        _strides2(pw, sp)
        ppw = &pw[0, 0]
    if loss is not None:
        pl = &loss[0]
    if grad is not None:
        pg = &grad[0]
    with nogil:
        if floating is double:
            status = ib_binary_f64(&p, R, C, &x[0, 0], sx, &y[0, 0], sy, pw_, sw,
                                   ppw, sp, pl, pg, &total)
        else:
            status = ib_binary_f32(&p, R, C, &x[0, 0], sx, &y[0, 0], sy, pw_, sw,
                                   ppw, sp, pl, pg, &total)
    _raise_status(status)
    return total


def binary_f64(int kind, double gamma, double alpha, double grad_scale,
               const double[:, :] x, const double[:, :] y, const double[:, :] w,
               const double[:, :] pw, double[::1] loss, double[::1] grad):
    """Elementwise binary losses of (R, C) operands; returns the sum of the
    losses, fills loss / grad (flat, C order) when given."""
    return _binary[double](kind, gamma, alpha, grad_scale, x, y, w, pw, loss, grad)


def binary_f32(int kind, double gamma, double alpha, double grad_scale,
               const float[:, :] x, const float[:, :] y, const float[:, :] w,
               const float[:, :] pw, float[::1] loss, float[::1] grad):
    """As binary_f64 for float32 operands (sums in float64)."""
    return _binary[float](kind, gamma, alpha, grad_scale, x, y, w, pw, loss, grad)


def _vec_exp16_scaled(const double[::1] x, double[::1] y):
    """Test hook: y = exp(x) * 2**512 for x <= 0 (ib_exp16_scaled_f64, the
    term of the softmax, log-sum-exp and cross-entropy block loops) through
    the block loop of the current SIMD path."""
    if y.shape[0] != x.shape[0]:
        raise ValueError("y must have x's length")
    if x.shape[0] == 0:
        return
    with nogil:
        ib_vexp16_scaled_f64(&x[0], &y[0], x.shape[0])


def _vec_exp_scaled(const double[::1] x, double[::1] y):
    """Test hook: y = exp(x) * 2**512 for x <= 0 (ib_exp_scaled_f64, the
    term of the log-sum-exp block sums) on the current SIMD path."""
    if y.shape[0] != x.shape[0]:
        raise ValueError("y must have x's length")
    if x.shape[0] == 0:
        return
    with nogil:
        ib_vexp_scaled_f64(&x[0], &y[0], x.shape[0])
