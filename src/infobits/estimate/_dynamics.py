"""Information dynamics: transfer entropy, active information storage and
lagged mutual information of time series.

Every measure here is a (conditional) mutual information of *embedded*
vectors, so this module only arranges samples: it embeds the series with
NumPy fancy indexing (no Python loop over time steps), aligns them exactly
as JIDT's calculators do, and hands the embedded vectors to the estimators
of the other modules:

- ``"ksg"``: the KSG (conditional) MI of the embedded vectors on the
  compiled neighbour engine (``infobits._knn.KnnSpace``), the formulas and
  neighbour counts of :func:`conditional_mutual_information` and
  :func:`mutual_information`, on the scaled and jittered series; max-norm
  counts in several dimensions are taken inside the ball of one
  coordinate (``count_in_range``), and the matrix shares each target's
  spaces among its sources;
- ``"plugin"``: one compiled pass (``_estimate.count_embedded``) forms a
  mixed-radix key per time step straight from the label series (integer
  digits, or factorized codes) and counts the keys into a dense table;
  large alphabets go through NumPy codes and sorted joint keys;
- ``"gaussian"`` / ``"gcmi"``: the Gaussian closed forms of
  :mod:`infobits.estimate._gaussian` on the embedded vectors.

Alignment (JIDT's ``TransferEntropyCalculatorKraskov``,
``ConditionalTransferEntropyCalculatorKraskov``,
``ActiveInfoStorageCalculatorKraskov``; also its discrete calculators):
with k = ``history``, k_tau = ``tau``, l = ``source_history``, l_tau =
``source_tau``, u = ``delay``, the first usable target time step is
``T + 1`` with ``T = max((k-1) k_tau, (l-1) l_tau + u - 1, max_c ((k_c-1)
tau_c + u_c - 1))``; the samples are the time steps t = T+1 .. n-1, each
the tuple (y_t; y_{t-1}, y_{t-1-k_tau}, .., y_{t-1-(k-1)k_tau}; x_{t-u},
.., x_{t-u-(l-1)l_tau}; conditions likewise).
"""
from __future__ import annotations

import operator
import sys
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from .. import _estimate as _k
from .._typing import Base, Estimate
from .._validation import log_base
from . import _discrete

__all__ = [
    "transfer_entropy",
    "transfer_entropy_matrix",
    "active_information_storage",
    "lagged_mutual_information",
]

METHODS = ("ksg", "plugin", "gaussian", "gcmi")
_KSG_DEFAULTS = {"metric": "chebyshev", "theiler": 0, "jitter": None, "algorithm": 1}


# --------------------------------------------------------------------------
# arguments
# --------------------------------------------------------------------------

def _pos_int(v: Any, name: str, minimum: int = 1) -> int:
    """*v* as an int >= *minimum* (TypeError / ValueError naming it)."""
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int; got {v!r}")
    try:
        i = operator.index(v)
    except TypeError:
        raise TypeError(f"{name} must be an int; got {v!r}") from None
    if i < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {i}")
    return int(i)


def _per_column(v: Any, m: int, name: str, minimum: int) -> list[int]:
    """One int for every column of the condition (one int for all, or a
    sequence of m ints)."""
    if np.ndim(v) == 0:
        return [_pos_int(v, name, minimum)] * m
    seq = list(v)
    if len(seq) != m:
        raise ValueError(f"{name} must be an int or a sequence of {m} ints (one per "
                         f"column of condition); got {len(seq)} values")
    return [_pos_int(s, f"{name}[{i}]", minimum) for i, s in enumerate(seq)]


def _check_method(method: Any, allowed: Sequence[str] = METHODS) -> str:
    if not isinstance(method, str) or method not in allowed:
        raise ValueError(f"method must be one of {tuple(allowed)}; got {method!r}")
    return method


def _check_ksg_only(method: str, opts: dict[str, Any], k: Any, k_default: int = 4) -> None:
    """The neighbour options belong to ``"ksg"``: another method given a
    non-default value raises ValueError naming it."""
    if method == "ksg":
        return
    if k is not None and not (isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                              and k == k_default):
        raise ValueError(f"k applies to method='ksg' only; got k={k!r} with method={method!r}")
    for name, default in _KSG_DEFAULTS.items():
        if name in opts and opts[name] != default:
            raise ValueError(f"{name} applies to method='ksg' only; got {name}="
                             f"{opts[name]!r} with method={method!r}")
    if opts.get("standardize", True) is not True:
        raise ValueError(f"standardize applies to method='ksg' only; got standardize="
                         f"{opts['standardize']!r} with method={method!r}")


def _series(x: Any, name: str, method: str) -> np.ndarray:
    """A series as an (n, d) array: labels (any sortable dtype) for
    ``"plugin"``, finite float64 otherwise."""
    if method == "plugin":
        arr = _discrete._as_labels(x, name)
        return arr[:, None] if arr.ndim == 1 else arr
    from ._continuous import _real_samples
    a, _ = _real_samples(x, name)
    return np.asarray(a)


def _lengths(arrays: Sequence[np.ndarray], names: Sequence[str]) -> int:
    n = int(arrays[0].shape[0])
    for a, nm in zip(arrays[1:], names[1:]):
        if a.shape[0] != n:
            raise ValueError(f"{names[0]} and {nm} must have the same number of time steps "
                             f"(axis 0); got {n} and {a.shape[0]}")
    return n


# --------------------------------------------------------------------------
# embedding
# --------------------------------------------------------------------------

def te_start(history: int, tau: int, source_history: int, source_tau: int, delay: int,
             conds: Sequence[tuple[int, int, int]] = ()) -> int:
    """T, the last time step of the first target-past embedding (JIDT's
    ``startTimeForFirstDestEmbedding``): the samples are t = T+1 .. n-1."""
    T = max((history - 1) * tau, (source_history - 1) * source_tau + delay - 1)
    for h, ta, d in conds:
        T = max(T, (h - 1) * ta + d - 1)
    return T


def embed(a: np.ndarray, t: np.ndarray, lag: int, history: int, tau: int) -> np.ndarray:
    """Delay vectors of the (n, d) series *a* for the time steps *t*:
    row r holds a[t_r - lag - j tau, c] at column j d + c (j < history),
    JIDT's order (most recent first, the d columns of a time step
    together)."""
    idx = t[:, None] - lag - tau * np.arange(history)
    return a[idx].reshape(t.shape[0], history * a.shape[1])


# --------------------------------------------------------------------------
# plug-in (labels): integer codes of embedded vectors, dense or sorted counts
# --------------------------------------------------------------------------

# A label series is a list of digit columns (x, off, K): int64 values x
# whose digits x - off lie in [0, K).  Integers and bools in a small range
# are used as they are (off = their minimum, K = their range + 1: values
# that never occur only leave empty cells, which change no plug-in
# estimate); other labels are factorized to codes (off = 0).

Digits = list[tuple[np.ndarray, int, int]]
# A part of an embedded variable: a digit column read at t - lag.
Part = tuple[np.ndarray, int, int, int]


_I64_MAX = (1 << 63) - 1


def _digits(a: np.ndarray, name: str) -> Digits:
    """The digit columns of the (n, d) labels *a*."""
    n, d = a.shape
    if a.dtype.kind in "biu" and n and a.dtype.itemsize <= 8:
        v = a.view(np.uint8) if a.dtype.kind == "b" else a
        if d == 1:
            c = v[:, 0]
            mns, mxs = [int(c.min())], [int(c.max())]
        else:
            mns, mxs = v.min(axis=0).tolist(), v.max(axis=0).tolist()
        if max(mxs) <= _I64_MAX and \
                max(mxs) - min(mns) < min(1 << 24, max(1 << 16, 4 * n)):
            x64 = v.astype(np.int64, copy=False)
            return [(x64[:, j], mns[j], mxs[j] - mns[j] + 1) for j in range(d)]
    cols = _discrete._columns(a if d > 1 else a[:, 0], name)
    return [(c, 0, int(K)) for c, K in cols]


def _parts(dg: Digits, lag: int, history: int, tau: int) -> list[Part]:
    """The parts of a delay vector: every column at every embedding lag."""
    return [(x, lag + j * tau, off, K) for j in range(history) for x, off, K in dg]


def _radix(parts: Sequence[Part]) -> int:
    R = 1
    for p in parts:
        R *= p[3]
    return R


def _part_codes(parts: Sequence[Part], t: np.ndarray) -> tuple[np.ndarray, int]:
    """One code per time step of *t* for the tuple of *parts* (NumPy)."""
    return _combine_codes([(x[t - lag] - off, K) for x, lag, off, K in parts], t.shape[0])


def _plugin_parts(groups: Sequence[Sequence[Part]], t0: int, N: int, local: bool) -> Any:
    """Plug-in I(X; Y | Z) in nats (``groups`` = the parts of X, Y and Z;
    Z may have none) over the time steps t0 .. t0 + N - 1: counted by one
    compiled pass into a dense table when the joint radix is small,
    otherwise from NumPy codes."""
    Rs = [_radix(g) for g in groups]
    cells = Rs[0] * Rs[1] * Rs[2]
    if N > 0 and _dense_ok(cells, N):
        kp = []
        mult = 1
        for g in reversed(groups):       # key = (x R_y + y) R_z + z
            for x, lag, off, K in g:
                kp.append((x, lag, off, K, mult))
                mult *= K
        res: Any = _k.count_embedded(kp, t0, N, cells, local)
        table, keys = res if local else (res, None)
        return _cmi_table(table, Rs[0], Rs[1], Rs[2], N, keys)
    t = np.arange(t0, t0 + N)
    cx, cy, cz = (_part_codes(g, t) for g in groups)
    return _plugin_cmi(cx, cy, cz, local)


def _compress(code: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes renumbered densely in sorted order: (codes, number of values)."""
    u, inv = np.unique(code, return_inverse=True)
    return inv.reshape(-1).astype(np.int64, copy=False), int(u.size)


_RADIX_MAX = 1 << 62


def _combine_codes(parts: Sequence[tuple[np.ndarray, int]], n: int) -> tuple[np.ndarray, int]:
    """One code per sample for the tuple of codes *parts* ((codes, K) each):
    mixed radix, compressed to the observed tuples whenever the radix would
    exceed both 2^62 / K and the sample count.  Returns (codes, radix)."""
    if not parts:
        return np.zeros(n, np.int64), 1
    code, R = parts[0][0].astype(np.int64, copy=True), parts[0][1]
    for c, K in parts[1:]:
        if R * K >= _RADIX_MAX or (R > n and R * K > 8 * n):
            code, R = _compress(code)
        code *= K
        code += c
        R *= K
    return code, R


def _dense_ok(cells: int, n: int) -> bool:
    return cells <= (1 << 24) and cells <= max(1 << 16, 8 * n)


def _plugin_cmi(x: tuple[np.ndarray, int], y: tuple[np.ndarray, int],
                z: tuple[np.ndarray, int], local: bool) -> Any:
    """Plug-in I(X; Y | Z) in nats from codes (z of radix 1: I(X; Y)):
    sum_xyz (n_xyz/N) log(n_xyz n_z / (n_xz n_yz)); with *local* the
    per-sample terms log(n_xyz n_z / (n_xz n_yz)) instead."""
    (cx, kx), (cy, ky), (cz, kz) = x, y, z
    N = cx.shape[0]
    if N == 0:
        return np.zeros(0) if local else 0.0
    if not _dense_ok(kx * ky * kz, N):
        cx, kx = _compress(cx)
        cy, ky = _compress(cy)
        cz, kz = _compress(cz)
    if _dense_ok(kx * ky * kz, N):
        key = (cx * ky + cy) * kz + cz
        return _cmi_table(np.bincount(key, minlength=kx * ky * kz), kx, ky, kz, N,
                          key if local else None)
    # large alphabets: joint cells by sorting the keys, two codes at a time
    xz, n_xz_s = _count_pairs(cx, cz, kz)
    yz, n_yz_s = _count_pairs(cy, cz, kz)
    xyz, n_xyz_s = _count_pairs(xz, cy, ky)
    n_z_s = np.bincount(cz, minlength=kz)
    # the per-sample counts, then one term per sample (each cell's term
    # repeated n_xyz times: the mean of the locals is the estimate)
    terms = np.log((n_xyz_s[xyz] * n_z_s[cz]).astype(np.float64)
                   / (n_xz_s[xz] * n_yz_s[yz]).astype(np.float64))
    if local:
        return terms
    first = np.unique(xyz, return_index=True)[1]
    s = _k.log_ratio_sum(np.ascontiguousarray(n_xyz_s[xyz[first]]),
                         np.ascontiguousarray(n_xyz_s[xyz[first]]),
                         np.ascontiguousarray(n_z_s[cz[first]]),
                         np.ascontiguousarray(n_xz_s[xz[first]]),
                         np.ascontiguousarray(n_yz_s[yz[first]]), float(N))
    return max(s, 0.0)


def _cmi_table(t3: np.ndarray, kx: int, ky: int, kz: int, N: int,
               keys: np.ndarray | None) -> Any:
    """Plug-in I(X; Y | Z) in nats from the dense joint counts *t3* (flat,
    (kx, ky, kz) in C order); with *keys* (each sample's cell) the local
    values log(n_xyz n_z / (n_xz n_yz)) of the samples instead."""
    cells = np.flatnonzero(t3)
    n_xyz = t3[cells]
    tab = t3.reshape(kx, ky, kz)
    n_xz = tab.sum(axis=1)
    n_yz = tab.sum(axis=0)
    n_z = n_xz.sum(axis=0)
    ix, iy, iz = np.unravel_index(cells, (kx, ky, kz))
    a = np.ascontiguousarray(n_z[iz])
    b = np.ascontiguousarray(n_xz[ix, iz])
    c = np.ascontiguousarray(n_yz[iy, iz])
    if keys is not None:
        vals = np.zeros(kx * ky * kz)
        vals[cells] = np.log((n_xyz * a) / (b * c).astype(np.float64))
        return vals[keys]
    return max(_k.log_ratio_sum(n_xyz, n_xyz, a, b, c, float(N)), 0.0)


def _count_pairs(a: np.ndarray, b: np.ndarray, kb: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the observed pairs (a, b) (dense, sorted order) and their
    counts; a and b are codes below N, so a kb + b fits in int64."""
    u, inv, cnt = np.unique(a * kb + b, return_inverse=True, return_counts=True)
    return inv.reshape(-1), cnt.astype(np.int64)


def _plugin_mi_lags(x: Digits, y: Digits, t0: int, N: int, lags: np.ndarray,
                    local: bool) -> list[Any]:
    """Plug-in I(x_{t - lag}; y_t) (nats) for every lag over the target
    steps t0 .. t0 + N - 1."""
    Y = _parts(y, 0, 1, 1)
    return [_plugin_parts([_parts(x, int(L), 1, 1), Y, []], t0, N, local) for L in lags]


# --------------------------------------------------------------------------
# continuous series: scaling and tie-breaking noise, then the estimators
# --------------------------------------------------------------------------

def _rng(random_state: Any) -> Any:
    from ._continuous import _rng as rng
    return rng(random_state)


def _prepare(series: Sequence[np.ndarray], standardize: bool, jitter: Any,
             random_state: Any, skip: Sequence[bool] = ()) -> list[np.ndarray]:
    """KSG's preparation of each input series, before any embedding: each
    column scaled to unit variance (``standardize``; constant columns
    unscaled), then noise of standard deviation ``jitter`` times the
    column's standard deviation added (default 1e-10), drawn from
    ``random_state`` series after series.  A series whose *skip* entry is
    True only consumes its draws (None is returned in its place): the
    matrix prepares a column in each role with the draws of a pairwise
    call."""
    if jitter is None:
        jitter = 1e-10
    if isinstance(jitter, (bool, np.bool_)) or not isinstance(jitter, (int, float, np.number)) \
            or not np.isfinite(jitter) or float(jitter) < 0:
        raise ValueError(f"jitter must be a nonnegative number or None; got {jitter!r}")
    jitter = float(jitter)
    rng = _rng(random_state) if jitter > 0 else None
    out: list[Any] = []
    for i, a in enumerate(series):
        if i < len(skip) and skip[i]:
            if rng is not None:
                rng.standard_normal(size=a.shape)
            out.append(None)
            continue
        a = np.array(a, dtype=np.float64, order="C", copy=True)
        if a.shape[0]:
            big = np.max(np.abs(a), axis=0)
            big[big == 0] = 1.0
            sd = (a / big).std(axis=0) * big
            if standardize:
                s = np.where(sd > 0, sd, 1.0)
                a /= s
                sd = np.where(sd > 0, 1.0, 0.0)
            if rng is not None:
                a += (jitter * sd) * rng.standard_normal(size=a.shape)
        out.append(a)
    return out


def _cont_cmi(x: np.ndarray, y: np.ndarray, z: np.ndarray | None, method: str,
              knn: dict[str, Any], local: bool) -> Any:
    """I(X; Y | Z) (or I(X; Y) for z None) in nats of embedded float64
    vectors by a continuous method."""
    if method in ("gaussian", "gcmi"):
        if local:
            raise ValueError(f"local=True is available for method='ksg' and 'plugin'; "
                             f"not for method={method!r}")
        from . import _gaussian
        if z is None:
            return _gaussian.mi_nats(x, y, method)
        return _gaussian.cmi_nats(x, y, z, method)
    from . import _dispatch
    kw = dict(method="ksg", base="nats", jitter=0, standardize=False, local=local, **knn)
    if z is None:
        return _dispatch.mutual_information(x, y, **kw)
    return _dispatch.conditional_mutual_information(x, y, z, **kw)


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------

def _conditions(condition: Any, method: str, n: int, condition_history: Any,
                condition_tau: Any, condition_delay: Any) -> tuple[np.ndarray | None,
                                                                   list[tuple[int, int, int]]]:
    if condition is None:
        for nm, v in (("condition_history", condition_history), ("condition_tau", condition_tau),
                      ("condition_delay", condition_delay)):
            if not (np.ndim(v) == 0 and not isinstance(v, bool) and v == 1):
                raise ValueError(f"{nm} applies to a condition; got {nm}={v!r} without one")
        return None, []
    c = _series(condition, "condition", method)
    if c.shape[0] != n:
        raise ValueError(f"source and condition must have the same number of time steps "
                         f"(axis 0); got {n} and {c.shape[0]}")
    m = c.shape[1]
    hs = _per_column(condition_history, m, "condition_history", 1)
    ts = _per_column(condition_tau, m, "condition_tau", 1)
    ds = _per_column(condition_delay, m, "condition_delay", 0)
    return c, list(zip(hs, ts, ds))


def _too_short(n: int, T: int, what: str) -> None:
    if n < T + 2:
        raise ValueError(f"the series have {n} time steps; {what} needs at least {T + 2} "
                         f"(the first usable target step is {T + 1})")


def _space(cols: Sequence[np.ndarray]) -> Any:
    """The neighbour space over the columns of *cols*, one group each."""
    from .. import _knn
    data = cols[0] if len(cols) == 1 else np.hstack(cols)
    return _knn.KnnSpace(np.ascontiguousarray(data), tuple(c.shape[1] for c in cols))


def _ksg_te_local(xs: np.ndarray, ys: np.ndarray, zs: np.ndarray, knn: dict[str, Any],
                  yz: Any = None, z: Any = None) -> np.ndarray:
    """Local KSG values (nats) of I(X; Y | Z) for embedded source X, next
    value Y and past Z: the conditional MI of
    :func:`infobits.estimate.conditional_mutual_information` (Frenzel &
    Pompe; algorithm 2 as JIDT), the same spaces queried in the same order,
    with the (Y, Z) and Z spaces passed in when several sources share a
    target (the matrix).  With a one-dimensional Z (history 1, no
    condition) the (X, Z) and (Y, Z) counts are taken inside each point's
    Z ball in one pass (``count_in_range``), the integers of the counts in
    the (X, Z) and (Y, Z) spaces."""
    from .. import _knn
    from ._continuous import _digamma_int
    N = xs.shape[0]
    k, t, alg = knn["k"], knn["theiler"], knn["algorithm"]
    m = _knn.METRICS[knn["metric"]]
    if N - min(2 * t + 1, N) < k:
        raise ValueError(f"'ksg' needs more than k + 2 theiler samples: {N} usable time "
                         f"steps, k = {k}, theiler = {t}")
    if np.all(np.ptp(xs, axis=0) == 0) or np.all(np.ptp(ys, axis=0) == 0):
        return np.zeros(N)  # a constant carries no information
    z = _space([zs]) if z is None else z
    joint = _space([xs, ys, zs])
    psi_k = _digamma_int([k])[0]
    one_z = zs.shape[1] == 1
    if alg == 1:
        eps = joint.knn(k, m, t)
        if one_z:
            # a one-dimensional past: the (X, Z) and (Y, Z) neighbours are
            # counted inside each point's Z ball, one pass for both (the
            # same integers as counting in the (X, Z) and (Y, Z) spaces)
            nz, (nxz, nyz) = z.count_in_range(eps, [xs, ys], [eps, eps], m, True, t)
        else:
            nxz = _space([xs, zs]).count(eps, m, True, t)
            nyz = (_space([ys, zs]) if yz is None else yz).count(eps, m, True, t)
            nz = z.count(eps, m, True, t)
        return np.asarray(psi_k - _digamma_int(nxz + 1) - _digamma_int(nyz + 1)
                          + _digamma_int(nz + 1))
    _, ge = joint.knn(k, m, t, group_max=True)
    ex, ey, ez = ge[:, 0], ge[:, 1], ge[:, 2]
    if one_z:
        nz, (nxz, nyz) = z.count_in_range(ez, [xs, ys], [ex, ey], m, False, t)
    else:
        nxz = _space([xs, zs]).count(np.column_stack((ex, ez)), m, False, t)
        nyz = (_space([ys, zs]) if yz is None else yz).count(np.column_stack((ey, ez)), m,
                                                               False, t)
        nz = z.count(ez, m, False, t)
    return np.asarray(psi_k - 2.0 / k + _digamma_int(nz) - _digamma_int(nxz)
                      - _digamma_int(nyz) + 1.0 / nxz + 1.0 / nyz)


def _count_max(xs: np.ndarray, r: np.ndarray, m: int, strict: bool, t: int,
               space: Any = None) -> Any:
    """#{j outside i's Theiler window : ||x_j - x_i|| < r_i} (or <=).  A
    max-norm count in several dimensions is taken inside each point's ball
    of the first coordinate (``count_in_range``: one pass, the same
    integers as a count in the whole space, about twice as fast here)."""
    from .. import _knn
    if xs.shape[1] > 1 and m == _knn.METRICS["chebyshev"]:
        first = _knn.KnnSpace(np.ascontiguousarray(xs[:, :1]))
        _, (cnt,) = first.count_in_range(r, [np.ascontiguousarray(xs[:, 1:])], [r], m,
                                         strict, t)
        return cnt
    sp = _space([xs]) if space is None else space
    return sp.count(r, m, strict, t)


def _ksg_mi_local(xs: np.ndarray, ys: np.ndarray, knn: dict[str, Any],
                  yspace: Any = None) -> np.ndarray:
    """Local KSG values (nats) of I(X; Y) for embedded vectors: the
    estimator of :func:`infobits.estimate.mutual_information` (algorithm 1
    or 2, the same formula and neighbour counts), with Y's space passed in
    when several calls share it (the lags of a lagged MI)."""
    from .. import _knn
    from ._continuous import _check_enough, _digamma_int, _grid_eps
    N = xs.shape[0]
    k, t, alg = knn["k"], knn["theiler"], knn["algorithm"]
    m = _knn.METRICS[knn["metric"]]
    _check_enough(N, k, t, "'ksg'")
    if np.all(np.ptp(xs, axis=0) == 0) or np.all(np.ptp(ys, axis=0) == 0):
        return np.zeros(N)  # a constant carries no information
    psi_n, psi_k = _digamma_int([N, k])
    if alg == 1:
        eps = None
        if xs.shape[1] == 1 and ys.shape[1] == 1 and t == 0 and m == _knn.METRICS["chebyshev"]:
            eps = _grid_eps(xs, ys, k)
        if eps is None:
            eps = _space([xs, ys]).knn(k, m, t)
        nx = _count_max(xs, eps, m, True, t)
        ny = _count_max(ys, eps, m, True, t, yspace)
        return np.asarray(psi_k + psi_n - _digamma_int(nx + 1) - _digamma_int(ny + 1))
    _, ge = _space([xs, ys]).knn(k, m, t, group_max=True)
    nx = _count_max(xs, np.ascontiguousarray(ge[:, 0]), m, False, t)
    ny = _count_max(ys, np.ascontiguousarray(ge[:, 1]), m, False, t, yspace)
    return np.asarray(psi_k - 1.0 / k + psi_n - _digamma_int(nx) - _digamma_int(ny))


def _knn_opts(k: Any, metric: Any, theiler: Any, algorithm: Any) -> dict[str, Any]:
    from ._continuous import _check_k
    if metric not in ("chebyshev", "euclidean"):
        raise ValueError(f"metric must be 'chebyshev' or 'euclidean'; got {metric!r}")
    if algorithm not in (1, 2) or isinstance(algorithm, bool):
        raise ValueError(f"algorithm must be 1 or 2; got {algorithm!r}")
    return {"k": _check_k(k), "metric": metric, "theiler": _pos_int(theiler, "theiler", 0),
            "algorithm": int(algorithm)}


def _result(v: Any, lb: float, local: bool) -> Any:
    if local:
        return np.asarray(v, dtype=np.float64) / lb
    return np.float64(v / lb)


def transfer_entropy(source: ArrayLike, target: ArrayLike, *, condition: ArrayLike | None = None,
                     history: int = 1, tau: int = 1, source_history: int = 1,
                     source_tau: int = 1, delay: int = 1, condition_history: Any = 1,
                     condition_tau: Any = 1, condition_delay: Any = 1, method: str = "ksg",
                     k: int = 4, base: Base = 2, metric: str = "chebyshev", theiler: int = 0,
                     jitter: float | None = None, standardize: bool = True, algorithm: int = 1,
                     local: bool = False, random_state: Any = None) -> Estimate:
    r"""Transfer entropy from ``source`` to ``target`` (optionally conditional).

    The information that the past of the source gives about the next value
    of the target beyond the target's own past (and the condition's):

    .. math::

        T_{X \to Y} = I(Y_t ; X_{t-u}^{(l)} \mid Y_{t-1}^{(k)}, Z_{t-u_c}^{(k_c)})

    with the embeddings and the sample alignment of JIDT's
    ``TransferEntropyCalculatorKraskov`` (and, with ``condition``,
    ``ConditionalTransferEntropyCalculatorKraskov``): the same values as
    JIDT's for the same data and parameters (see Notes).

    Parameters
    ----------
    source, target : array_like, shape (n,) or (n, d)
        Time series along axis 0, with the same number of time steps.  A
        2-D array is one multivariate series (its d columns embedded
        together).  Real samples for ``"ksg"``, ``"gaussian"`` and
        ``"gcmi"`` (finite); labels of any sortable dtype for ``"plugin"``.
    condition : array_like, shape (n,) or (n, m), optional
        Other series to condition on (conditional TE): each column is one
        conditioning series with its own embedding.
    history, tau : int, default 1
        The target's past: k = ``history`` values spaced ``tau`` apart,
        the most recent one at t - 1 (JIDT's ``k_HISTORY``, ``k_TAU``).
    source_history, source_tau : int, default 1
        The source's past: l = ``source_history`` values spaced
        ``source_tau`` apart (``l_HISTORY``, ``l_TAU``).
    delay : int, default 1
        u: the most recent source value is x_{t-u} (``DELAY``; 0 allowed).
    condition_history, condition_tau, condition_delay : int or sequence of int
        The same for each column of ``condition`` (one value for all
        columns, or one per column); ``condition_delay`` may be 0.
    method : {"ksg", "plugin", "gaussian", "gcmi"}, default "ksg"
        ``"ksg"``: Kraskov-Stoegbauer-Grassberger conditional MI (Frenzel &
        Pompe) on the neighbour engine; ``"plugin"``: counts of embedded
        labels; ``"gaussian"``: the closed form of a fitted multivariate
        normal (JIDT's ``TransferEntropyCalculatorGaussian``); ``"gcmi"``:
        the Gaussian-copula estimate of the embedded vectors (each column
        of each embedded variable copula-normalised).
    k : int, default 4
        Neighbours (``"ksg"`` only, as JIDT's default).
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.
    metric : {"chebyshev", "euclidean"}, default "chebyshev"
        ``"ksg"`` only: the norm of the neighbour searches.
    theiler : int, default 0
        ``"ksg"`` only: samples at most ``theiler`` time steps apart are
        never neighbours (JIDT's ``DYN_CORR_EXCL``); 0 excludes only the
        point itself.
    jitter : float, optional
        ``"ksg"`` only: tie-breaking noise added to each input series
        after scaling and before embedding, ``jitter`` times each
        column's standard deviation (default 1e-10; 0 adds none).
    standardize : bool, default True
        ``"ksg"`` only: scale each column of each input series to unit
        variance before embedding.
    algorithm : {1, 2}, default 1
        ``"ksg"`` only: KSG algorithm.
    local : bool, default False
        Return the local (per time step) values, one per usable time step
        t = T+1 .. n-1 (no padding, unlike JIDT), whose mean is the
        estimate.  ``"ksg"`` and ``"plugin"`` only.
    random_state : None, int or numpy.random.Generator
        The random generator of the jitter (``None``: a fixed generator,
        ``default_rng(0)``, so repeated calls give the same value).

    Returns
    -------
    float64, or ndarray of float64 with ``local=True``

    Raises
    ------
    ValueError
        Series of different lengths or too short for the embedding, an
        embedding parameter out of range, a neighbour option with a method
        other than ``"ksg"``, NaN or infinite samples for the continuous
        methods, ``k`` too large for the samples.

    See Also
    --------
    transfer_entropy_matrix : TE between every ordered pair of columns.
    active_information_storage : I(X_t ; X_{t-1}^{(k)}).
    conditional_mutual_information : the estimator behind it.

    Notes
    -----
    **Samples used** (as JIDT).  With T = max((k-1) tau, (l-1) l_tau + u - 1,
    max over condition columns c of (k_c - 1) tau_c + u_c - 1), the
    estimate uses the time steps t = T+1, ..., n-1 (n - T - 1 samples),
    each the tuple of the target's next value y_t, its past (y_{t-1},
    y_{t-1-tau}, ..., y_{t-1-(k-1) tau}), the source's past (x_{t-u}, ...,
    x_{t-u-(l-1) l_tau}) and each condition's past (z_{t-u_c}, ...).  Local
    values come in that order: ``local[i]`` belongs to t = T + 1 + i
    (JIDT's local arrays hold the same values after T + 1 leading zeros).

    The estimate is the conditional MI of those vectors: I(source past ;
    target next | target past, condition pasts).  For ``"ksg"`` the series
    are prepared first (``standardize``, ``jitter``); with ``jitter=0``
    and ``standardize=False`` the value equals JIDT's
    ``TransferEntropyCalculatorKraskov`` with ``NOISE_LEVEL_TO_ADD=0`` and
    ``NORMALISE=false`` (to 1e-9 nats up to n = 5000; beyond that JIDT's
    approximate digamma differs by up to ~1e-7).  ``"plugin"`` equals
    JIDT's ``TransferEntropyCalculatorDiscrete`` (``"plugin"`` estimates
    are clipped at 0: rounding only).  ``"gaussian"`` equals JIDT's
    ``TransferEntropyCalculatorGaussian``.

    Examples
    --------
    Labels: the target copies the source one step later.

    >>> import numpy as np
    >>> from infobits.estimate import transfer_entropy
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 2, 10_000)
    >>> y = np.roll(x, 1)
    >>> round(float(transfer_entropy(x, y, method="plugin")), 3)  # bits
    1.0
    >>> round(float(transfer_entropy(y, x, method="plugin")), 3)
    0.0

    Continuous data (KSG): y is driven by x's previous value.  The true
    value is 1/2 ln((0.8^2 + 0.6^2) / 0.6^2) = 0.511 nats.

    >>> x = rng.standard_normal(5000)
    >>> y = np.zeros(5000)
    >>> for t in range(1, 5000):
    ...     y[t] = 0.5 * y[t - 1] + 0.8 * x[t - 1] + 0.6 * rng.standard_normal()
    >>> round(float(transfer_entropy(x, y, base="nats")), 1)
    0.5
    >>> abs(float(transfer_entropy(y, x, base="nats"))) < 0.05
    True
    """
    return cast("Estimate", _te_plan(
        source, target, condition=condition, history=history, tau=tau,
        source_history=source_history, source_tau=source_tau, delay=delay,
        condition_history=condition_history, condition_tau=condition_tau,
        condition_delay=condition_delay, method=method, k=k, base=base, metric=metric,
        theiler=theiler, jitter=jitter, standardize=standardize, algorithm=algorithm,
        random_state=random_state).estimate(local))


class _TEPlan:
    """A transfer entropy's (or, with no z, an active information
    storage's) embedded variables, built once: ``estimate``
    gives the estimate, or, with ``perm`` (indices of the usable time
    steps), the estimate with the source's embedded history vectors
    permuted as units (JIDT's surrogates; permutation_test), the target's
    spaces built once for all permutations."""

    def __init__(self, meth: str, lb: float, knn: dict[str, Any], n_units: int) -> None:
        self.meth, self.lb, self.knn, self.n_units = meth, lb, knn, n_units
        self.groups: Any = None
        self.t0 = 0
        self.xs: Any = None
        self.ys: Any = None
        self.z: Any = None
        self._codes: Any = None
        self._spaces: Any = None

    def estimate(self, local: bool = False, perm: np.ndarray | None = None) -> Any:
        meth, lb, knn = self.meth, self.lb, self.knn
        if meth == "plugin":
            if perm is None:
                return _result(_plugin_parts(self.groups, self.t0, self.n_units, local), lb,
                               local)
            if self._codes is None:
                t = np.arange(self.t0, self.t0 + self.n_units)
                self._codes = [_part_codes(g, t) for g in self.groups]
            (cx, kx), cy, cz = self._codes
            return _result(_plugin_cmi((cx[perm], kx), cy, cz, local), lb, local)
        xs, ys, z = self.xs, self.ys, self.z
        if meth == "ksg" and z is None:            # AIS: I(past ; next)
            if perm is None:
                loc = _ksg_mi_local(xs, ys, knn)
            else:
                if self._spaces is None:
                    self._spaces = _space([ys])
                loc = _ksg_mi_local(np.ascontiguousarray(xs[perm]), ys, knn, self._spaces)
            return _result(loc if local else float(np.mean(loc)), lb, local)
        if meth == "ksg":
            if perm is None:
                loc = _ksg_te_local(xs, ys, z, knn)
            else:
                if self._spaces is None:
                    self._spaces = (None if z.shape[1] == 1 else _space([ys, z]), _space([z]))
                yz, zsp = self._spaces
                loc = _ksg_te_local(np.ascontiguousarray(xs[perm]), ys, z, knn, yz, zsp)
            return _result(loc if local else float(np.mean(loc)), lb, local)
        if perm is not None:
            xs = np.ascontiguousarray(xs[perm])
        return _result(_cont_cmi(xs, ys, z, meth, knn, local), lb, local)


def _te_plan(source: Any, target: Any, *, condition: Any = None, history: int = 1,
             tau: int = 1, source_history: int = 1, source_tau: int = 1, delay: int = 1,
             condition_history: Any = 1, condition_tau: Any = 1, condition_delay: Any = 1,
             method: str = "ksg", k: int = 4, base: Base = 2, metric: str = "chebyshev",
             theiler: int = 0, jitter: float | None = None, standardize: bool = True,
             algorithm: int = 1, random_state: Any = None) -> _TEPlan:
    """transfer_entropy's checks, preparation and embedding (see there)."""
    meth = _check_method(method)
    _check_ksg_only(meth, {"metric": metric, "theiler": theiler, "jitter": jitter,
                           "algorithm": algorithm, "standardize": standardize}, k)
    lb = log_base(base)
    k_ = _pos_int(history, "history")
    kt = _pos_int(tau, "tau")
    l_ = _pos_int(source_history, "source_history")
    lt = _pos_int(source_tau, "source_tau")
    u = _pos_int(delay, "delay", 0)
    src = _series(source, "source", meth)
    tgt = _series(target, "target", meth)
    n = _lengths([src, tgt], ["source", "target"])
    cond, cpar = _conditions(condition, meth, n, condition_history, condition_tau,
                             condition_delay)
    knn = _knn_opts(k, metric, theiler, algorithm) if meth == "ksg" else {}
    T = te_start(k_, kt, l_, lt, u, cpar)
    _too_short(n, T, "this embedding")
    if meth == "plugin":
        sd = _digits(src, "source")
        td = _digits(tgt, "target")
        P = _parts(td, 1, k_, kt)
        if cond is not None:
            for (h, ta, d), dg in zip(cpar, _digits(cond, "condition")):
                P += _parts([dg], d, h, ta)
        plan = _TEPlan(meth, lb, knn, n - T - 1)
        plan.groups, plan.t0 = [_parts(sd, u, l_, lt), _parts(td, 0, 1, 1), P], T + 1
        return plan
    t = np.arange(T + 1, n)
    series = [src, tgt] + ([cond] if cond is not None else [])
    if meth == "ksg":
        series = _prepare(series, standardize, jitter, random_state)
    src, tgt = series[0], series[1]
    xs = embed(src, t, u, l_, lt)
    ys = embed(tgt, t, 0, 1, 1)
    zs = [embed(tgt, t, 1, k_, kt)]
    if cond is not None:
        for j, (h, ta, d) in enumerate(cpar):
            zs.append(embed(series[2][:, j:j + 1], t, d, h, ta))
    z = np.ascontiguousarray(np.hstack(zs)) if len(zs) > 1 else zs[0]
    plan = _TEPlan(meth, lb, knn, n - T - 1)
    plan.xs, plan.ys, plan.z = xs, ys, z
    return plan




def active_information_storage(x: ArrayLike, *, history: int = 1, tau: int = 1,
                               method: str = "ksg", k: int = 4, base: Base = 2,
                               metric: str = "chebyshev", theiler: int = 0,
                               jitter: float | None = None, standardize: bool = True,
                               algorithm: int = 1, local: bool = False,
                               random_state: Any = None) -> Estimate:
    r"""Active information storage: how much of a series' next value its
    own past predicts, :math:`A_X = I(X_t ; X_{t-1}^{(k)})`.

    As JIDT's ``ActiveInfoStorageCalculatorKraskov`` (same embedding, same
    samples, the same value with ``jitter=0`` and ``standardize=False``).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        The series (a 2-D array is one multivariate series): real samples
        for ``"ksg"``, ``"gaussian"``, ``"gcmi"``, labels for ``"plugin"``.
    history, tau : int, default 1
        The past: k = ``history`` values spaced ``tau`` apart, the most
        recent at t - 1 (JIDT's ``k_HISTORY``, ``TAU``).
    method : {"ksg", "plugin", "gaussian", "gcmi"}, default "ksg"
    k : int, default 4
        Neighbours (``"ksg"`` only).
    base : {"bits", "nats", "bans"} or float, default 2
    metric, theiler, jitter, standardize, algorithm, random_state
        ``"ksg"`` options, as for :func:`transfer_entropy`.
    local : bool, default False
        The local values, one per time step t = (k-1) tau + 1 .. n-1.

    Returns
    -------
    float64, or ndarray of float64 with ``local=True``

    Notes
    -----
    The samples are the time steps t = (k-1) tau + 1, ..., n-1, each the
    pair (x_t ; x_{t-1}, x_{t-1-tau}, ..., x_{t-1-(k-1) tau}); the
    estimate is their mutual information (``"plugin"``: JIDT's
    ``ActiveInformationCalculatorDiscrete``).

    JIDT's ``ActiveInfoStorageCalculatorKraskov`` uses KSG algorithm 2 by
    default (``ALG_NUM=2``); infobits' default is algorithm 1, as for every
    KSG estimator: pass ``algorithm=2`` for JIDT's default.  Algorithm 2 on
    a delay embedding can meet exact distance ties (neighbouring vectors
    share values) that JIDT resolves in its tree order; the values agree
    where ``theiler`` covers the embedding span (k - 1) tau.

    Examples
    --------
    A period-4 cycle of labels: the last value tells the next one (2 bits
    of a 4-symbol uniform alphabet).

    >>> import numpy as np
    >>> from infobits.estimate import active_information_storage
    >>> x = np.tile([0, 1, 2, 3], 1000)
    >>> round(float(active_information_storage(x, method="plugin")), 6)
    2.0
    """
    return cast("Estimate", _ais_plan(
        x, history=history, tau=tau, method=method, k=k, base=base, metric=metric,
        theiler=theiler, jitter=jitter, standardize=standardize, algorithm=algorithm,
        random_state=random_state).estimate(local))


def _ais_plan(x: Any, *, history: int = 1, tau: int = 1, method: str = "ksg", k: int = 4,
              base: Base = 2, metric: str = "chebyshev", theiler: int = 0,
              jitter: float | None = None, standardize: bool = True, algorithm: int = 1,
              random_state: Any = None) -> _TEPlan:
    """active_information_storage's checks, preparation and embedding: a
    plan whose permutations permute the past vectors against the next
    values (permutation_test)."""
    meth = _check_method(method)
    _check_ksg_only(meth, {"metric": metric, "theiler": theiler, "jitter": jitter,
                           "algorithm": algorithm, "standardize": standardize}, k)
    lb = log_base(base)
    k_ = _pos_int(history, "history")
    kt = _pos_int(tau, "tau")
    a = _series(x, "x", meth)
    n = a.shape[0]
    knn = _knn_opts(k, metric, theiler, algorithm) if meth == "ksg" else {}
    T = (k_ - 1) * kt
    _too_short(n, T, "this embedding")
    if meth == "plugin":
        dg = _digits(a, "x")
        plan = _TEPlan(meth, lb, knn, n - T - 1)
        plan.groups, plan.t0 = [_parts(dg, 1, k_, kt), _parts(dg, 0, 1, 1), []], T + 1
        return plan
    t = np.arange(T + 1, n)
    if meth == "ksg":
        a = _prepare([a], standardize, jitter, random_state)[0]
    plan = _TEPlan(meth, lb, knn, n - T - 1)
    plan.xs, plan.ys = embed(a, t, 1, k_, kt), embed(a, t, 0, 1, 1)
    return plan




def _lags(lags: Any) -> tuple[np.ndarray, bool]:
    scalar = np.ndim(lags) == 0
    arr = np.atleast_1d(np.asarray(lags))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"lags must be an int or a non-empty 1-D sequence of ints; got {lags!r}")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "b" or not (arr.dtype.kind == "f" and np.all(arr == np.round(arr))):
            raise TypeError(f"lags must be integers; got {lags!r}")
    return arr.astype(np.int64), scalar


def lagged_mutual_information(x: ArrayLike, y: ArrayLike, lags: Any, *, method: str | None = None,
                              k: int = 4, base: Base = 2, metric: str = "chebyshev",
                              theiler: int = 0, jitter: float | None = None,
                              standardize: bool = True, algorithm: int = 1,
                              local: bool = False, random_state: Any = None) -> Estimate:
    r"""Mutual information between ``x`` and ``y`` shifted by each lag:
    :math:`I(x_t ; y_{t+\mathrm{lag}})`, one value per lag, in one call.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Time series with the same number of steps (a 2-D array is one
        multivariate variable).
    lags : int or sequence of int
        The lags; negative lags allowed (y leads x).  A positive lag asks
        how much x tells about y ``lag`` steps later.
    method : {None, "plugin", "ksg", "gaussian", "gcmi"}, optional
        As for :func:`mutual_information`: ``None`` means ``"plugin"`` for
        labels (integer, bool, string, object dtype); float samples need an
        explicit method (ValueError otherwise).
    k : int, default 4
        Neighbours (``"ksg"`` only).
    base : {"bits", "nats", "bans"} or float, default 2
    metric, theiler, jitter, standardize, algorithm, random_state
        ``"ksg"`` options, as for :func:`transfer_entropy`.
    local : bool, default False
        Local values, shape (n_lags, n_samples) (``"ksg"`` and
        ``"plugin"``).

    Returns
    -------
    float64 for an int ``lags``, else ndarray of shape (n_lags,)

    Notes
    -----
    Every lag uses the same samples y_t, t = max(max lag, 0) .. n - 1 +
    min(min lag, 0), paired with x_{t - lag}, as ennemi's ``estimate_mi(y,
    x, lag)`` does, so the estimates at different lags are comparable
    (each has n - max(max lag, 0) + min(min lag, 0) samples).

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import lagged_mutual_information
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 4, 5000)
    >>> y = np.roll(x, 3)          # y_t = x_{t-3}
    >>> mi = lagged_mutual_information(x, y, [1, 2, 3, 4])
    >>> print(np.round(mi, 2))
    [0. 0. 2. 0.]
    """
    L, scalar = _lags(lags)
    if method is None:
        ax, ay = np.asarray(x), np.asarray(y)
        for a, nm in ((ax, "x"), (ay, "y")):
            if a.dtype.kind in "fc":
                raise ValueError(
                    f"{nm} holds float samples ({a.dtype}), which may be labels or continuous "
                    f"data: pass method='plugin' to treat the values as labels, or "
                    f"method='ksg' (or 'gaussian', 'gcmi') for continuous data")
        method = "plugin"
    meth = _check_method(method)
    _check_ksg_only(meth, {"metric": metric, "theiler": theiler, "jitter": jitter,
                           "algorithm": algorithm, "standardize": standardize}, k)
    lb = log_base(base)
    a = _series(x, "x", meth)
    b = _series(y, "y", meth)
    n = _lengths([a, b], ["x", "y"])
    knn = _knn_opts(k, metric, theiler, algorithm) if meth == "ksg" else {}
    lo, hi = max(int(L.max()), 0), n + min(int(L.min()), 0)
    if hi - lo < 2:
        raise ValueError(f"lags from {int(L.min())} to {int(L.max())} leave {max(hi - lo, 0)} "
                         f"of the {n} time steps; at least 2 are needed")
    ty = np.arange(lo, hi)
    if meth == "plugin":
        vals = _plugin_mi_lags(_digits(a, "x"), _digits(b, "y"), lo, hi - lo, L, local)
    else:
        if meth == "ksg":
            a, b = _prepare([a, b], standardize, jitter, random_state)
        yb = b[ty]
        vals = _cont_mi_lags(a, yb, ty, L, meth, knn, local)
    if local:
        out = np.asarray(vals, dtype=np.float64) / lb
        return out[0] if scalar else out
    res = np.asarray(vals, dtype=np.float64) / lb
    return np.float64(res[0]) if scalar else res


def _ksg_lags_1d(x: np.ndarray, y: np.ndarray, ty: np.ndarray, L: np.ndarray,
                 knn: dict[str, Any], local: bool) -> list[Any]:
    """KSG (algorithm 1, no Theiler window) I(x_{t - lag}; y_t) in nats of
    one-dimensional series for every lag, sorting once: x over every time
    step some lag reads is argsorted once, and each lag's window is that
    order filtered to the window (no sort per lag); the marginal counts are
    strict counts by galloping over the sorted values (``_knn.
    count_within_self_f64``, the point itself taken off), the same integers
    as the neighbour-space counts of :func:`_ksg_mi_local`, hence the same
    values bitwise."""
    from .. import _knn
    from ._continuous import _check_enough, _digamma_int, _grid_eps
    k = knn["k"]
    N = ty.shape[0]
    _check_enough(N, k, 0, "'ksg'")
    lo = int(ty[0]) - int(L.max())
    xspan = np.ascontiguousarray(x[lo:int(ty[-1]) + 1 - int(L.min())])
    xorder = np.argsort(xspan, kind="stable")
    oy = np.argsort(y, kind="stable")
    ysorted = np.ascontiguousarray(y[oy])
    psi_n, psi_k = _digamma_int([N, k])
    m = _knn.METRICS[knn["metric"]]
    yc = np.ascontiguousarray(y[:, None])

    def counts(vs: np.ndarray, r: np.ndarray) -> Any:
        c = np.empty(vs.shape[0], dtype=np.int64)
        _knn.count_within_self_f64(vs, np.ascontiguousarray(r), c)
        return c - (r > 0)            # the point itself (never within r = 0)

    out: list[Any] = []
    const_y = bool(np.ptp(y) == 0)
    for lag in L:
        o = int(ty[0]) - int(lag) - lo              # the window is xspan[o : o + N]
        xs = xspan[o:o + N]
        if const_y or np.ptp(xs) == 0:
            loc = np.zeros(N)                       # a constant carries no information
        else:
            xc = np.ascontiguousarray(xs[:, None])
            eps = _grid_eps(xc, yc, k)
            if eps is None:
                eps = _space([xc, yc]).knn(k, m, 0)
            sel = xorder[(xorder >= o) & (xorder < o + N)] - o
            nx = np.empty(N, dtype=np.int64)
            nx[sel] = counts(np.ascontiguousarray(xs[sel]), eps[sel])
            ny = np.empty(N, dtype=np.int64)
            ny[oy] = counts(ysorted, eps[oy])
            loc = np.asarray(psi_k + psi_n - _digamma_int(nx + 1) - _digamma_int(ny + 1))
        out.append(loc if local else float(np.mean(loc)))
    return out


def _cont_mi_lags(a: np.ndarray, yb: np.ndarray, ty: np.ndarray, L: np.ndarray, meth: str,
                  knn: dict[str, Any], local: bool) -> list[Any]:
    """I(x_{t - lag}; y_t) in nats for every lag (continuous methods)."""
    if meth == "ksg" and a.shape[1] == 1 and yb.shape[1] == 1 and knn["theiler"] == 0 \
            and knn["algorithm"] == 1:
        return _ksg_lags_1d(a[:, 0], yb[:, 0], ty, L, knn, local)
    if meth == "ksg":       # y's neighbour space shared by every lag
        ysp = _space([yb]) if yb.shape[1] == 1 else None
        out = []
        for lag in L:
            loc = _ksg_mi_local(np.ascontiguousarray(a[ty - int(lag)]), yb, knn, ysp)
            out.append(loc if local else float(np.mean(loc)))
        return out
    return [_cont_cmi(np.ascontiguousarray(a[ty - int(lag)]), yb, None, meth, knn, local)
            for lag in L]


def _ksg_matrix(A: np.ndarray, kw: dict[str, Any], out: np.ndarray) -> None:
    """KSG TE of every ordered pair of the columns of A into *out*: each
    column prepared and embedded once per role (source, target), each
    target's (next, past) and past neighbour spaces built once and queried
    by every source; each entry computed exactly as a pairwise call."""
    n, m = A.shape
    # argument checks and the alignment, by a pairwise call's own code
    # path on the first pair (its value is the matrix entry (0, 1))
    out[0, 1] = transfer_entropy(A[:, 0], A[:, 1], **kw)
    k_, kt = kw["history"], kw["tau"]
    l_, lt, u = kw["source_history"], kw["source_tau"], kw["delay"]
    cond, cpar = _conditions(kw["condition"], "ksg", n, kw["condition_history"],
                             kw["condition_tau"], kw["condition_delay"])
    T = te_start(k_, kt, l_, lt, u, cpar)
    t = np.arange(T + 1, n)
    knn = _knn_opts(kw["k"], kw["metric"], kw["theiler"], kw["algorithm"])
    lb = log_base(kw["base"])
    sd, jit, rs = kw["standardize"], kw["jitter"], kw["random_state"]
    col = [A[:, j:j + 1] for j in range(m)]
    extra = [cond] if cond is not None else []
    srcs = [embed(_prepare([c], sd, jit, rs)[0], t, u, l_, lt) for c in col]
    ys, zs, yz, zsp = [], [], [], []
    for j in range(m):
        prep = _prepare([col[j], col[j]] + extra, sd, jit, rs, skip=[True])
        tg = prep[1]
        parts = [embed(tg, t, 1, k_, kt)]
        for c, (h, ta, d) in enumerate(cpar):
            parts.append(embed(prep[2][:, c:c + 1], t, d, h, ta))
        z = np.ascontiguousarray(np.hstack(parts)) if len(parts) > 1 else parts[0]
        y = embed(tg, t, 0, 1, 1)
        ys.append(y)
        zs.append(z)
        yz.append(_space([y, z]) if z.shape[1] > 1 else None)
        zsp.append(_space([z]))
    for j in range(m):          # targets: their spaces shared by every source
        for i in range(m):
            if i != j and (i, j) != (0, 1):
                loc = _ksg_te_local(srcs[i], ys[j], zs[j], knn, yz[j], zsp[j])
                out[i, j] = np.float64(float(np.mean(loc)) / lb)


def transfer_entropy_matrix(X: ArrayLike, *, condition: ArrayLike | None = None,
                            history: int = 1, tau: int = 1, source_history: int = 1,
                            source_tau: int = 1, delay: int = 1, condition_history: Any = 1,
                            condition_tau: Any = 1, condition_delay: Any = 1,
                            method: str = "ksg", k: int = 4, base: Base = 2,
                            metric: str = "chebyshev", theiler: int = 0,
                            jitter: float | None = None, standardize: bool = True,
                            algorithm: int = 1, random_state: Any = None) -> Estimate:
    """Transfer entropy between every ordered pair of columns of ``X``.

    Parameters
    ----------
    X : array_like or pandas.DataFrame, shape (n, m)
        m time series, one per column (real samples, or labels for
        ``"plugin"``).
    condition, history, tau, source_history, source_tau, delay, \
condition_history, condition_tau, condition_delay, method, k, base, metric, \
theiler, jitter, standardize, algorithm, random_state
        As for :func:`transfer_entropy`, the same for every pair.

    Returns
    -------
    ndarray of shape (m, m), or pandas.DataFrame for a DataFrame
        ``M[i, j]`` is the transfer entropy from column i to column j;
        the diagonal is NaN.  Every entry is bitwise equal to
        ``transfer_entropy(X[:, i], X[:, j], ...)`` with the same
        arguments (for ``"ksg"`` with ``random_state`` None or an int:
        a ``Generator`` is advanced by every call, so pairwise calls would
        each see other noise).  A DataFrame gives a DataFrame with its column labels
        on both axes (rows: sources, columns: targets).

    Notes
    -----
    What pairs share is prepared once: each column's scaling and jitter
    (``"ksg"``: the jitter of column j is drawn as in a pairwise call, so
    the pairwise equality holds), its embeddings as a source and as a
    target, and for ``"ksg"`` the neighbour structure of each target's
    past and next value, queried by every source.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import transfer_entropy_matrix
    >>> rng = np.random.default_rng(1)
    >>> a = rng.integers(0, 2, 20_000)
    >>> b = np.roll(a, 1)                   # b copies a
    >>> c = rng.integers(0, 2, 20_000)
    >>> M = transfer_entropy_matrix(np.column_stack([a, b, c]), method="plugin")
    >>> print(np.round(M, 2))
    [[nan  1.  0.]
     [ 0. nan  0.]
     [ 0.  0. nan]]
    """
    meth = _check_method(method)
    labels = None
    pd: Any = sys.modules.get("pandas")   # a DataFrame means pandas is imported
    if pd is not None and isinstance(X, pd.DataFrame):
        labels = X.columns
    if meth == "plugin":
        A = _discrete._as_labels(X, "X")
    else:
        from ._continuous import _real_samples
        A, _ = _real_samples(X, "X")
    if A.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_series); got shape {A.shape}")
    m = A.shape[1]
    kw = dict(condition=condition, history=history, tau=tau, source_history=source_history,
              source_tau=source_tau, delay=delay, condition_history=condition_history,
              condition_tau=condition_tau, condition_delay=condition_delay, method=meth, k=k,
              base=base, metric=metric, theiler=theiler, jitter=jitter,
              standardize=standardize, algorithm=algorithm, random_state=random_state)
    out = np.full((m, m), np.nan)
    if meth == "ksg" and m > 1:
        _ksg_matrix(A, kw, out)
    else:
        for i in range(m):          # the pairs (a Python loop over m (m - 1) pairs)
            for j in range(m):
                if i != j:
                    out[i, j] = transfer_entropy(A[:, i], A[:, j], **kw)
    if labels is not None:
        return cast("Estimate", pd.DataFrame(out, index=labels, columns=labels))
    return out
