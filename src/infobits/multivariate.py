"""Multivariate information measures on joint probability tables.

An n-dimensional table ``p`` is the joint distribution of n variables:
axis k indexes the values of variable k.  Every measure is a signed sum of
entropies of the table and of its marginals: the joint entropy is one pass
of the compiled entropy reduction over the table (which also checks the
probabilities and their sum), each marginal is a NumPy sum over the other
axes (taken from the smallest marginal already computed that contains it)
and its entropy is the same compiled reduction.  Only the 2^n subsets (or
the n variables) are looped over in Python, never the elements.
"""
from __future__ import annotations

import itertools
import math
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._typing import Base
from ._validation import check_nan_policy, common_float, log_base
from .measures import _fast_1d, _invalid_error, _normalize_over, _reduce

__all__ = [
    "conditional_mutual_information",
    "total_correlation",
    "dual_total_correlation",
    "o_information",
    "s_information",
    "interaction_information",
]


class _Table:
    """A checked joint table and the entropies of its marginals (in the
    result's base: each entropy is divided by log(base) before they are
    combined, so that exact entropies such as 1 and 2 bits combine
    exactly)."""

    def __init__(self, p: ArrayLike, who: str, nan_policy: str, normalize: bool,
                 base: Base, ndim: int | None = None) -> None:
        self.who = who
        log_base(base)          # a bad base raises before any work
        self.base = base
        self.policy = check_nan_policy(nan_policy)
        if not isinstance(normalize, (bool, np.bool_)):
            raise TypeError(f"{who}: normalize must be True or False; got {normalize!r}")
        (a,), _ = common_float((p,), ("p",))
        if ndim is not None and a.ndim != ndim:
            raise ValueError(
                f"{who}: p must be a {ndim}-D joint table (axis k = variable k); "
                f"got shape {a.shape}")
        if a.ndim < 1:
            raise ValueError(f"{who}: p must be a joint table with at least one axis "
                             f"(axis k = variable k); got a scalar")
        self.n: int = int(a.ndim)
        self.nan = False
        if normalize:
            full = tuple(range(a.ndim))
            na, sm = _normalize_over(a, full, self.policy)
            s = float(np.asarray(sm).reshape(-1)[0]) if a.size else 0.0
            if self.policy != "omit" and (s < 0 or math.isinf(s)):
                raise _invalid_error(who, [p], ["p"], self.policy, True)
            if a.size and s == 0:
                self.nan = True       # a table summing to 0: NaN, as entropy
            a = na
        self.cache: dict[tuple[int, ...], Any] = {}
        self.h: dict[tuple[int, ...], float] = {}
        # the joint entropy: one checked pass (range, NaN policy, sum
        # warning); the 1-D fast path when the table is plain float64
        full = tuple(range(self.n))
        c = np.ascontiguousarray(a)
        h = None
        if not normalize and c.dtype == np.float64:
            h = _fast_1d(_core.TERM_ENTR, (c.reshape(-1),), base, self.policy)
        if h is None:
            h = _reduce(_core.TERM_ENTR, (a,), ("p",), axis=None, nan_policy=self.policy,
                        base=base, who=who, stacklevel=3, sum_ops=() if normalize else None)
        self.h[full] = float(h)
        # the marginals are NumPy sums, whose order follows the memory
        # layout: a C-ordered table (a copy only for other layouts) makes
        # the result depend on the values alone
        self.cache[full] = c

    def _marginal(self, s: tuple[int, ...]) -> Any:
        m = self.cache.get(s)
        if m is not None:
            return m
        # from the smallest cached superset (fewest elements to sum)
        best = None
        sset = set(s)
        ls = len(s)
        for key, arr in self.cache.items():
            if len(key) > ls and sset.issubset(key) and (best is None
                                                         or arr.size < best[1].size):
                best = (key, arr)
        assert best is not None
        key, arr = best
        if self.policy == "omit":
            drop = tuple(i for i, v in enumerate(key) if v not in sset)
            with np.errstate(invalid="ignore", over="ignore"):
                m = np.nansum(arr, axis=drop, dtype=np.float64)
        else:
            # einsum's summation loops are several times faster than np.sum
            # over the inner axes of small tables; accumulated in float64,
            # in an order fixed by the C-ordered table (entries are checked
            # probabilities or NaN: nothing to overflow)
            kept = [i for i, v in enumerate(key) if v in sset]
            m = np.einsum(arr, list(range(arr.ndim)), kept, dtype=np.float64)
        self.cache[s] = m
        return m

    def need(self, subsets: Any) -> None:
        """Compute the entropies of *subsets*, larger subsets first (each
        marginal is then summed from the smallest marginal containing it)."""
        for s in sorted(subsets, key=len, reverse=True):
            self.entropy(s)

    def entropy(self, s: tuple[int, ...]) -> float:
        """H(X_s) in the result's base; the empty set has entropy 0."""
        if not s:
            return 0.0
        h = self.h.get(s)
        if h is None:
            m = self._marginal(s)
            # the table itself was checked; marginals are sums of checked
            # entries: no second range or sum check, no second warning
            # (the fast path returns None where the sum is off 1, and the
            # general path then runs without the checks)
            h = _fast_1d(_core.TERM_ENTR, (m.reshape(-1),), self.base, self.policy)
            if h is None:
                h = _reduce(_core.TERM_ENTR, (m,), ("p",), axis=None,
                            nan_policy=self.policy, base=self.base, who=self.who,
                            chk=(), sum_ops=())
            h = float(h)
            self.h[s] = h
        return float(h)

    def result(self, value: float) -> np.float64:
        if self.nan:
            return cast("np.float64", np.float64(np.nan))
        return cast("np.float64", np.float64(value))


def _all(n: int) -> tuple[int, ...]:
    return tuple(range(n))


def _without(n: int, i: int) -> tuple[int, ...]:
    return tuple(j for j in range(n) if j != i)


def _tc(t: _Table) -> float:
    t.need([(i,) for i in range(t.n)])
    return sum(t.entropy((i,)) for i in range(t.n)) - t.entropy(_all(t.n))


def _dtc(t: _Table) -> float:
    # DTC = H(X) - sum_i H(X_i | X_rest) = sum_i H(X_rest) - (n - 1) H(X)
    n = t.n
    if n < 2:
        return 0.0
    t.need([_without(n, i) for i in range(n)])
    rest = math.fsum(t.entropy(_without(n, i)) for i in range(n))
    return rest - (n - 1) * t.entropy(_all(n))


_TABLE_DOC = """\
    p : array_like, n-D
        The joint distribution of n variables: ``p[i0, i1, ...]`` is the
        probability that variable 0 takes its value i0, variable 1 its
        value i1, and so on (axis k = variable k).  Entries in [0, 1]
        summing to 1, or, with ``normalize=True``, any finite non-negative
        weights or counts."""

_COMMON_DOC = """\
    base : float or {"bits", "nats", "bans"}, optional
        Log base of the result; default 2 (bits).
    nan_policy : {"propagate", "raise", "omit"}, optional
        As for :func:`infobits.entropy`: ``"propagate"`` (default) makes a
        NaN entry give NaN, ``"raise"`` raises ``ValueError`` naming its
        index, ``"omit"`` leaves NaN terms out (NaN entries count as 0 in
        the marginals) and checks neither range nor sum.
    normalize : bool, optional
        Divide the table by its sum first (counts or weights; a table
        summing to 0 gives NaN)."""

_CHECKS_DOC = """\
    Raises
    ------
    ValueError
        An entry outside [0, 1] (or +-inf), naming its index and the fixes
        (``normalize=True`` for counts, :mod:`infobits.estimate` for
        samples); a NaN under ``nan_policy="raise"``; a bad ``base`` or
        ``nan_policy``.
    TypeError
        Complex, object or string input.

    Notes
    -----
    The table is checked in the one pass of the compiled entropy reduction
    that gives the joint entropy, as in :func:`infobits.entropy`: a table
    whose sum is off 1 by more than rounding (``1e-5`` in float64, ``1e-4``
    in float32) gives a ``RuntimeWarning`` and the result is computed on
    the values as given.  Marginals are NumPy sums over the other axes,
    accumulated in float64; their entropies run on the same compiled
    reduction.  Values equal dit's on the same distribution (to rounding).
    The result is not clipped: where the exact value is 0 it may be a few
    ulps below."""


def _doc(f: Any) -> Any:
    f.__doc__ = (f.__doc__.replace("    {table}\n", _TABLE_DOC + "\n")
                 .replace("    {common}\n", _COMMON_DOC + "\n")
                 .replace("    {checks}\n", _CHECKS_DOC + "\n"))
    return f


@_doc
def conditional_mutual_information(p_xyz: ArrayLike, *, base: Base = 2,
                                   nan_policy: str = "propagate",
                                   normalize: bool = False) -> np.float64:
    """Conditional mutual information ``I(X; Y | Z)`` of a 3-D joint table.

    ``I(X; Y | Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)``.

    Parameters
    ----------
    p_xyz : array_like, 3-D
        ``p_xyz[i, j, k] = P(X = x_i, Y = y_j, Z = z_k)``: axes (X, Y, Z).
        Entries in [0, 1] summing to 1, or any finite non-negative weights
        with ``normalize=True``.
    {common}

    Returns
    -------
    numpy.float64
        The conditional mutual information in units of ``base``.

    {checks}
    See Also
    --------
    infobits.estimate.conditional_mutual_information : from samples.

    Examples
    --------
    Y = X xor Z with X, Z fair independent bits: X tells nothing about Y
    alone, but one bit given Z.

    >>> import numpy as np
    >>> import infobits as ib
    >>> p = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for z in (0, 1):
    ...         p[x, x ^ z, z] = 0.25
    >>> float(ib.conditional_mutual_information(p))
    1.0
    >>> float(ib.mutual_information(p.sum(axis=2)))
    0.0
    """
    t = _Table(p_xyz, "conditional_mutual_information", nan_policy, normalize, base, ndim=3)
    v = t.entropy((0, 2)) + t.entropy((1, 2)) - t.entropy((0, 1, 2)) - t.entropy((2,))
    return t.result(v)


@_doc
def total_correlation(p: ArrayLike, *, base: Base = 2, nan_policy: str = "propagate",
                      normalize: bool = False) -> np.float64:
    """Total correlation (multi-information) of an n-D joint table.

    ``TC = sum_i H(X_i) - H(X_0, ..., X_{n-1})`` (Watanabe 1960): 0 for
    independent variables, ``(n - 1) H`` for n copies of one variable.

    Parameters
    ----------
    {table}
    {common}

    Returns
    -------
    numpy.float64
        The total correlation in units of ``base``; dit's
        ``dit.multivariate.total_correlation``.

    {checks}
    See Also
    --------
    dual_total_correlation, o_information, s_information
    infobits.estimate.total_correlation : from samples.

    Examples
    --------
    Three fair bits with Z = X xor Y:

    >>> import numpy as np
    >>> import infobits as ib
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> float(ib.total_correlation(xor))
    1.0
    >>> float(ib.total_correlation(np.full((2, 3, 4), 1 / 24)))  # independent
    0.0
    """
    t = _Table(p, "total_correlation", nan_policy, normalize, base)
    return t.result(_tc(t))


@_doc
def dual_total_correlation(p: ArrayLike, *, base: Base = 2, nan_policy: str = "propagate",
                           normalize: bool = False) -> np.float64:
    """Dual total correlation (binding information) of an n-D joint table.

    ``DTC = H(X) - sum_i H(X_i | X_rest)``, computed as
    ``sum_i H(X_rest_i) - (n - 1) H(X)`` (Han 1978), X_rest_i all the
    variables but i.

    Parameters
    ----------
    {table}
    {common}

    Returns
    -------
    numpy.float64
        The dual total correlation in units of ``base``; dit's
        ``dit.multivariate.dual_total_correlation``.  A table of one
        variable gives 0.

    {checks}
    See Also
    --------
    total_correlation, o_information, s_information

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> float(ib.dual_total_correlation(xor))
    2.0
    """
    t = _Table(p, "dual_total_correlation", nan_policy, normalize, base)
    return t.result(_dtc(t))


@_doc
def o_information(p: ArrayLike, *, base: Base = 2, nan_policy: str = "propagate",
                  normalize: bool = False) -> np.float64:
    """O-information of an n-D joint table: ``O = TC - DTC``.

    Positive where redundancy dominates, negative where synergy dominates
    (Rosas, Mediano, Gastpar & Jensen 2019).  Computed as
    ``(n - 2) H(X) + sum_i [H(X_i) - H(X_rest_i)]`` from the table's
    entropy and those of its 2n marginals.

    Parameters
    ----------
    {table}
    {common}

    Returns
    -------
    numpy.float64
        The O-information in units of ``base``; dit's
        ``dit.multivariate.o_information``.  Tables of one or two
        variables give 0.

    {checks}
    See Also
    --------
    total_correlation, dual_total_correlation, s_information

    References
    ----------
    F. E. Rosas, P. A. M. Mediano, M. Gastpar and H. J. Jensen,
    "Quantifying high-order interdependencies via multivariate extensions
    of the mutual information", Phys. Rev. E 100, 032305, 2019.

    Examples
    --------
    Synergy (xor) and redundancy (three copies of one fair bit):

    >>> import numpy as np
    >>> import infobits as ib
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> float(ib.o_information(xor))
    -1.0
    >>> rdn = np.zeros((2, 2, 2)); rdn[0, 0, 0] = rdn[1, 1, 1] = 0.5
    >>> float(ib.o_information(rdn))
    1.0
    """
    t = _Table(p, "o_information", nan_policy, normalize, base)
    if t.n < 3:
        return t.result(0.0)
    t.need([_without(t.n, i) for i in range(t.n)] + [(i,) for i in range(t.n)])
    return t.result(_tc(t) - _dtc(t))


@_doc
def s_information(p: ArrayLike, *, base: Base = 2, nan_policy: str = "propagate",
                  normalize: bool = False) -> np.float64:
    """S-information of an n-D joint table: ``S = TC + DTC``.

    The total amount of dependency (Rosas et al. 2019), equal to
    ``sum_i I(X_i; X_rest_i)``.

    Parameters
    ----------
    {table}
    {common}

    Returns
    -------
    numpy.float64
        The S-information in units of ``base`` (dit's ``total_correlation``
        plus its ``dual_total_correlation``).

    {checks}
    See Also
    --------
    total_correlation, dual_total_correlation, o_information

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> float(ib.s_information(xor))
    3.0
    """
    t = _Table(p, "s_information", nan_policy, normalize, base)
    t.need([_without(t.n, i) for i in range(t.n)] + [(i,) for i in range(t.n)])
    return t.result(_tc(t) + _dtc(t))


@_doc
def interaction_information(p: ArrayLike, *, base: Base = 2, nan_policy: str = "propagate",
                            normalize: bool = False) -> np.float64:
    """Interaction information (McGill's co-information) of an n-D joint table.

    ``I(X; Y; Z) = I(X; Y) - I(X; Y | Z)`` for three variables, and for n
    the inclusion-exclusion sum ``-sum_S (-1)^|S| H(X_S)`` over the
    non-empty subsets S of the variables (so two variables give their
    mutual information and one its entropy).

    Parameters
    ----------
    {table}
    {common}

    Returns
    -------
    numpy.float64
        The co-information in units of ``base``: dit's
        ``dit.multivariate.coinformation`` (dit's own
        ``interaction_information`` has the opposite sign for an odd
        number of variables).

    {checks}
    See Also
    --------
    o_information : equals the co-information for three variables.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> xor = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         xor[x, y, x ^ y] = 0.25
    >>> float(ib.interaction_information(xor))
    -1.0
    >>> rdn = np.zeros((2, 2, 2)); rdn[0, 0, 0] = rdn[1, 1, 1] = 0.5
    >>> float(ib.interaction_information(rdn))
    1.0
    """
    t = _Table(p, "interaction_information", nan_policy, normalize, base)
    n = t.n
    v = 0.0
    # largest subsets first: each marginal is summed from a cached superset
    for size in range(n, 0, -1):
        sign = -1.0 if size % 2 == 0 else 1.0     # -(-1)^|S|
        for s in itertools.combinations(range(n), size):
            v += sign * t.entropy(s)
    return t.result(v)
