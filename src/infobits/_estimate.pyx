# distutils: sources = csrc/ib_dispatch.c csrc/ib_engine.c csrc/ib_estimate.c csrc/ib_dynamics.c csrc/ib_perm.c
# distutils: include_dirs = csrc
"""Compiled entry points for the discrete estimators.

Thin typed wrappers over ``csrc/ib_estimate.c``: label codes (int64, already
factorized by :mod:`infobits.estimate._discrete`) are counted in C with the
GIL released; entropies and mutual information are computed from the counts
in C.  All argument checking lives in the Python layer.
"""
from libc.stdint cimport int32_t, int64_t, uint64_t

import numpy as np

include "_dispatch.pxi"

cdef extern from "ib_estimate.h" nogil:
    int IB_EST_PLUGIN, IB_EST_MILLER_MADOW, IB_EST_GRASSBERGER
    int IB_EST_JAMES_STEIN, IB_EST_CHAO_SHEN
    int ib_count_codes(ib_ssize n, const int64_t *code, ib_ssize s, ib_ssize K,
                       int64_t *counts, ib_ssize *bad)
    int ib_count_joint(ib_ssize n, const int64_t *cx, ib_ssize sx,
                       const int64_t *cy, ib_ssize sy, ib_ssize kx, ib_ssize ky,
                       int64_t *table, ib_ssize *bad)
    int ib_entropy_counts(int method, ib_ssize m, const int64_t *c, ib_ssize s,
                          double p, double *out, ib_ssize *bad)
    int ib_mi_table(int method, ib_ssize kx, ib_ssize ky, const int64_t *t,
                    ib_ssize s0, ib_ssize s1, double px, double py, double *out,
                    ib_ssize *bad)
    double ib_log_ratio_sum(ib_ssize nnz, const int64_t *w, ib_ssize sw,
                            const int64_t *p, ib_ssize sp, const int64_t *q,
                            ib_ssize sq, const int64_t *r, ib_ssize sr,
                            const int64_t *s, ib_ssize ss, double N)
    int ib_minmax_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                      ib_ssize s1, int64_t *mn, int64_t *mx)
    int ib_factorize_int(ib_ssize n, ib_ssize m, const int64_t *x, ib_ssize s0,
                         ib_ssize s1, const int64_t *mn, const int64_t *R,
                         int code_size, void *codes, int64_t *K)
    int ib_mi_matrix(int method, ib_ssize n, ib_ssize m, const void *codes,
                     int code_size, const int64_t *K, const double *P,
                     const unsigned char *todo, double *out, ib_ssize *bad)

cdef extern from "ib_dynamics.h" nogil:
    int ib_count_embedded(ib_ssize N, ib_ssize t0, ib_ssize nparts,
                          const int64_t *const *x, const ib_ssize *s,
                          const ib_ssize *lag, const int64_t *off, const int64_t *K,
                          const int64_t *mult, ib_ssize cells, int64_t *table,
                          int64_t *keys, ib_ssize *bad)

cdef extern from "ib_perm.h" nogil:
    int ib_perm_indices(uint64_t key, ib_ssize n, ib_ssize block, int64_t *pi)
    int ib_perm_mi_plugin(ib_ssize n, const int32_t *x, ib_ssize kx, const int32_t *y,
                          ib_ssize ky, ib_ssize m, const uint64_t *keys, ib_ssize block,
                          double *out)

METHODS = {
    "plugin": IB_EST_PLUGIN,
    "miller_madow": IB_EST_MILLER_MADOW,
    "grassberger": IB_EST_GRASSBERGER,
    "james_stein": IB_EST_JAMES_STEIN,
    "chao_shen": IB_EST_CHAO_SHEN,
}


cdef int _check(int status, ib_ssize bad, what) except -1:
    if status == IB_OK:
        return 0
    if status == IB_ENOMEM:
        raise MemoryError("infobits kernel could not allocate scratch memory")
    if status == IB_EINDEX:
        raise IndexError(f"{what}: code out of range at position {bad}", bad)
    if status == IB_EINVAL:
        raise ValueError(f"{what}: negative count at position {bad}", bad)
    raise RuntimeError(f"infobits kernel failed with status {status}")


cdef inline ib_ssize _stride(const int64_t[:] v) noexcept nogil:
    return v.strides[0] // <Py_ssize_t>sizeof(int64_t)


def count_codes(const int64_t[:] code, ib_ssize K):
    """Counts of the codes 0..K-1 (int64 array of length K)."""
    out = np.zeros(K, dtype=np.int64)
    cdef int64_t[::1] o = out
    cdef ib_ssize bad = -1, n = code.shape[0]
    cdef int st = IB_OK
    if n > 0:
        with nogil:
            st = ib_count_codes(n, &code[0], _stride(code), K,
                                &o[0] if K > 0 else NULL, &bad)
    _check(st, bad, "count_codes")
    return out


def count_joint(const int64_t[:] cx, const int64_t[:] cy, ib_ssize kx, ib_ssize ky):
    """Dense joint counts (kx, ky) of two code arrays of equal length."""
    out = np.zeros((kx, ky), dtype=np.int64)
    cdef int64_t[:, ::1] o = out
    cdef ib_ssize bad = -1, n = cx.shape[0]
    cdef int st = IB_OK
    if cy.shape[0] != n:
        raise ValueError("code arrays differ in length")
    if n > 0:
        with nogil:
            st = ib_count_joint(n, &cx[0], _stride(cx), &cy[0], _stride(cy),
                                kx, ky, &o[0, 0], &bad)
    _check(st, bad, "count_joint")
    return out


def entropy_counts(int method, const int64_t[:] c, double p):
    """Entropy estimate (nats) from a 1-D count array."""
    cdef double out = 0.0
    cdef ib_ssize bad = -1, m = c.shape[0]
    cdef int st = IB_OK
    if m > 0:
        with nogil:
            st = ib_entropy_counts(method, m, &c[0], _stride(c), p, &out, &bad)
    _check(st, bad, "counts")
    return out


def entropy_counts_rows(int method, const int64_t[:, :] c, const double[::1] p,
                        double[::1] out):
    """Entropy estimate (nats) of every row of a 2-D count array."""
    cdef ib_ssize bad = -1, k, R = c.shape[0], m = c.shape[1]
    cdef ib_ssize s1 = c.strides[1] // <Py_ssize_t>sizeof(int64_t)
    cdef int st = IB_OK
    if out.shape[0] != R or p.shape[0] != R:
        raise ValueError("out and p need one entry per row")
    if m == 0:
        out[:] = 0.0
        return
    with nogil:
        for k in range(R):
            st = ib_entropy_counts(method, m, &c[k, 0], s1, p[k], &out[k], &bad)
            if st != IB_OK:
                bad = k * m + bad
                break
    _check(st, bad, "counts")


def mi_table(int method, const int64_t[:, :] t, double px, double py):
    """Mutual information (nats) from a dense contingency table."""
    cdef double out = 0.0
    cdef ib_ssize bad = -1, kx = t.shape[0], ky = t.shape[1]
    cdef int st = IB_OK
    if kx == 0 or ky == 0:
        return 0.0
    with nogil:
        st = ib_mi_table(method, kx, ky, &t[0, 0],
                         t.strides[0] // <Py_ssize_t>sizeof(int64_t),
                         t.strides[1] // <Py_ssize_t>sizeof(int64_t),
                         px, py, &out, &bad)
    _check(st, bad, "table")
    return out


def log_ratio_sum(const int64_t[:] w, const int64_t[:] p, const int64_t[:] q,
                  const int64_t[:] r, const int64_t[:] s, double N):
    """sum_k w_k log(p_k q_k / (r_k s_k)) / N; 1-element operands broadcast."""
    cdef ib_ssize n = w.shape[0]
    cdef ib_ssize sw = _stride(w), sp, sq, sr, ss
    cdef double out = 0.0
    if any(L != n and L != 1 for L in (p.shape[0], q.shape[0], r.shape[0], s.shape[0])):
        raise ValueError("operands differ in length")
    if n == 0:
        return 0.0
    sp = _stride(p) if p.shape[0] == n else 0
    sq = _stride(q) if q.shape[0] == n else 0
    sr = _stride(r) if r.shape[0] == n else 0
    ss = _stride(s) if s.shape[0] == n else 0
    with nogil:
        out = ib_log_ratio_sum(n, &w[0], sw, &p[0], sp, &q[0], sq, &r[0], sr,
                               &s[0], ss, N)
    return out


def minmax_int(const int64_t[:, :] x):
    """Column minima and maxima of a non-empty 2-D int64 array."""
    cdef ib_ssize n = x.shape[0], m = x.shape[1]
    mn = np.empty(m, dtype=np.int64)
    mx = np.empty(m, dtype=np.int64)
    cdef int64_t[::1] a = mn, b = mx
    cdef int st = IB_OK
    if n == 0:
        raise ValueError("minmax_int: no rows")
    if m > 0:
        with nogil:
            st = ib_minmax_int(n, m, &x[0, 0],
                               x.strides[0] // <Py_ssize_t>sizeof(int64_t),
                               x.strides[1] // <Py_ssize_t>sizeof(int64_t), &a[0], &b[0])
    _check(st, -1, "minmax_int")
    return mn, mx


def factorize_int(const int64_t[:, :] x, const int64_t[::1] mn,
                  const int64_t[::1] R, unsigned char[:, ::1] codes, int code_size,
                  int64_t[::1] K):
    """Codes of integer labels x[:, j] in [mn[j], mn[j] + R[j]] (sorted-value
    order), written as code_size-byte integers into the bytes of ``codes``
    (m rows of n codes); K gets the number of distinct values per column."""
    cdef ib_ssize n = x.shape[0], m = x.shape[1]
    cdef int st = IB_OK
    if mn.shape[0] != m or R.shape[0] != m or K.shape[0] != m or \
            codes.shape[0] != m or codes.shape[1] != n * code_size:
        raise ValueError("factorize_int: inconsistent shapes")
    if n == 0 or m == 0:
        K[:] = 0
        return
    with nogil:
        st = ib_factorize_int(n, m, &x[0, 0],
                              x.strides[0] // <Py_ssize_t>sizeof(int64_t),
                              x.strides[1] // <Py_ssize_t>sizeof(int64_t),
                              &mn[0], &R[0], code_size, &codes[0, 0], &K[0])
    if st == IB_EINVAL:
        raise ValueError("factorize_int: a value outside its column's range")
    _check(st, -1, "factorize_int")


def mi_matrix(int method, const unsigned char[:, ::1] codes, int code_size,
              const int64_t[::1] K, const double[::1] P,
              const unsigned char[:, ::1] todo, double[:, ::1] out):
    """All-pairs MI (nats) of m variables: ``codes`` holds the bytes of m rows
    of n code_size-byte codes (as written by factorize_int)."""
    cdef ib_ssize m = codes.shape[0], n = codes.shape[1] // code_size, bad = -1
    cdef int st = IB_OK
    if K.shape[0] != m or P.shape[0] != m or todo.shape[0] != m or \
            todo.shape[1] != m or out.shape[0] != m or out.shape[1] != m:
        raise ValueError("mi_matrix: inconsistent shapes")
    if m == 0:
        return
    with nogil:
        st = ib_mi_matrix(method, n, m, &codes[0, 0] if n > 0 else NULL,
                          code_size, &K[0], &P[0], &todo[0, 0], &out[0, 0], &bad)
    _check(st, bad, "mi_matrix")


def count_embedded(parts, ib_ssize t0, ib_ssize N, ib_ssize cells, bint want_keys=False):
    """Joint counts of delay-embedded label series (ib_count_embedded).

    ``parts``: a sequence of (x, lag, off, K, mult), x a 1-D int64 array
    (any stride) read at t - lag for t = t0 .. t0 + N - 1, its digit
    x - off in [0, K), weighted by mult.  Returns the int64 table of
    ``cells`` counts and, with ``want_keys``, the N joint keys."""
    cdef ib_ssize P = len(parts), p, bad = -1
    cdef int st = IB_OK
    if P > 64:
        raise ValueError("count_embedded: at most 64 parts")
    cdef const int64_t *xs[64]
    cdef ib_ssize ss[64]
    cdef ib_ssize lags[64]
    cdef int64_t offs[64]
    cdef int64_t Ks[64]
    cdef int64_t mults[64]
    cdef const int64_t[:] v
    keep = []
    for p in range(P):
        arr, lag, off, K, mult = parts[p]
        v = arr
        keep.append(v)
        if t0 - lag < 0 or t0 + N - 1 - lag >= v.shape[0]:
            raise IndexError("count_embedded: a part reads outside its series")
        xs[p] = &v[0] if v.shape[0] > 0 else NULL
        ss[p] = v.strides[0] // <Py_ssize_t>sizeof(int64_t)
        lags[p] = lag
        offs[p] = off
        Ks[p] = K
        mults[p] = mult
    table = np.zeros(cells, dtype=np.int64)
    keys = np.empty(N if want_keys else 0, dtype=np.int64)
    cdef int64_t[::1] tb = table
    cdef int64_t[::1] kk = keys
    cdef int64_t *kp = &kk[0] if want_keys and N > 0 else NULL
    if N > 0 and cells > 0:
        with nogil:
            st = ib_count_embedded(N, t0, P, xs, ss, lags, offs, Ks, mults, cells,
                                   &tb[0], kp, &bad)
    elif N > 0:
        raise ValueError("count_embedded: no cells")
    _check(st, bad, "count_embedded")
    return (table, keys) if want_keys else table


def perm_indices(uint64_t key, ib_ssize n, ib_ssize block=1):
    """The permutation of ``key`` (int64 array of n indices; see ib_perm.h)."""
    out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] o = out
    cdef int st
    with nogil:
        st = ib_perm_indices(key, n, block, &o[0] if n > 0 else NULL)
    _check(st, -1, "perm_indices")
    return out


def perm_mi_plugin(const int32_t[::1] x, ib_ssize kx, const int32_t[::1] y, ib_ssize ky,
                   const uint64_t[::1] keys, ib_ssize block=1):
    """sum c ln c of the contingency table of x permuted by each key against
    y (float64 array, one per key)."""
    cdef ib_ssize m = keys.shape[0], n = x.shape[0]
    out = np.zeros(m, dtype=np.float64)
    cdef double[::1] o = out
    cdef int st = IB_OK
    if y.shape[0] != n:
        raise ValueError("x and y must have the same length")
    if m > 0 and n > 0:
        with nogil:
            st = ib_perm_mi_plugin(n, &x[0], kx, &y[0], ky, m, &keys[0], block, &o[0])
    _check(st, -1, "perm_mi_plugin")
    return out
