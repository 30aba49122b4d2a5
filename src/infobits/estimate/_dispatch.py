"""``mutual_information``: one name for labels and for continuous samples."""
from __future__ import annotations

from typing import Any, cast

from numpy.typing import ArrayLike

from .._typing import Base, Estimate
from . import _continuous, _discrete, _frames

DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
CONTINUOUS_METHODS = ("ksg", "ross")


def mutual_information(x: ArrayLike, y: ArrayLike, *, method: str | None = None, base: Base = 2,
                       **kwargs: Any) -> Estimate:
    """Mutual information I(X; Y) estimated from paired samples.

    One name for two kinds of data: discrete labels (the methods
    ``"plugin"``, ``"miller_madow"``, ``"grassberger"``, ``"james_stein"``,
    ``"chao_shen"``) and continuous samples (``"ksg"``, ``"ross"``).

    Parameters
    ----------
    x, y : array_like
        Paired samples along axis 0, with the same number of samples
        (ValueError naming both lengths otherwise).  For the discrete
        methods: labels of any hashable, sortable dtype (integers, bools,
        strings, objects), shape (n_samples,) or (n_samples, n_variables);
        a 2-D input is a batch, column j of ``x`` paired with column j of
        ``y`` (a 1-D or one-column input pairs with every column), one
        result per column, bitwise equal to one call per column.
        For ``"ksg"``: real samples of shape (n,) or (n, d) each, one
        d-dimensional variable (computed in float64; NaN or infinite values
        raise ValueError).  For ``"ross"``: ``x`` real samples (n,) or
        (n, d), ``y`` n discrete labels of any sortable dtype.
    method : str or None, default None
        ``None`` means ``"plugin"`` for labels (integer, bool, string,
        object dtype).  Float samples are ambiguous and need an explicit
        method: ``method="plugin"`` (or another discrete method) to treat
        the values as labels, ``method="ksg"`` for continuous data;
        without one a ValueError names both choices.  Discrete methods:

        - ``"plugin"``: ``sum_xy (n_xy/n) log(n n_xy / (n_x n_y))``; in
          nats it equals ``sklearn.metrics.mutual_info_score`` up to
          rounding.  Clipped at 0 (the exact value is never negative).
        - ``"miller_madow"`` (Miller 1955), ``"grassberger"`` (Grassberger
          2003), ``"james_stein"`` (Hausser & Strimmer 2009),
          ``"chao_shen"`` (Chao & Shen 2003): ``H(X) + H(Y) - H(X, Y)``,
          each entropy estimated by the method (see
          :func:`infobits.estimate.entropy` for the formulas), the joint
          alphabet being the product of the two marginal alphabets (so
          James-Stein's I(X; X) differs from its H(X): the joint target is
          uniform over p^2 cells).  Not clipped: these estimates can be
          slightly negative.

        Continuous methods: ``"ksg"`` (Kraskov-Stoegbauer-Grassberger) and
        ``"ross"`` (continuous x, discrete y); see their options below.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.
    n_categories : int or (int, int), optional
        Discrete methods only: the alphabet sizes of X and Y (one int for
        both), used by James-Stein's shrinkage target; default the observed
        categories.  Must not be smaller than the observed counts.
    **kwargs
        Options of the continuous methods ``"ksg"`` and ``"ross"`` only:
        ``k``, ``standardize``, ``random_state`` (below).  The discrete
        methods take none of them.
    k : int, default 3
        Neighbour order.  ``"ksg"`` needs n > k; ``"ross"`` uses
        min(k, n_c - 1) within a label that occurs n_c times.
    standardize : bool, default True
        Scale each dimension of the continuous samples to unit variance (no
        centring; constant dimensions are left unscaled) before the
        neighbour searches, as scikit-learn does.  With it the estimate does
        not change when a dimension is rescaled.  Without it, a dimension
        whose values are far below 1e-10 in magnitude is drowned by the
        tie-breaking noise (as in scikit-learn).
    random_state : None, int, numpy.random.Generator or RandomState
        Seed of the tie-breaking noise.  ``None`` uses a fixed seed (0), so
        repeated calls on the same data give the same value.
    Returns
    -------
    float64 or ndarray of float64
        A NumPy float64 scalar for one pair, an array for a batch.  Empty
        discrete samples give 0.

    Raises
    ------
    ValueError
        Different sample counts, float samples without a method, NaN among
        float labels (with its index), an unknown method.
    TypeError
        Object labels that cannot be compared or hashed.

    See Also
    --------
    infobits.estimate.mutual_information_matrix : all pairs of columns.
    infobits.estimate.mutual_information_from_counts : from a contingency table.

    Notes
    -----
    ``"ksg"``: I = psi(k) + psi(n) - <psi(n_x + 1) + psi(n_y + 1)>, where
    eps_i is the max-norm distance from point i to its k-th nearest
    neighbour in the joint space and n_x(i), n_y(i) count the other points
    strictly closer than eps_i in x and in y.  Before the searches each
    dimension is scaled (``standardize``) and noise of standard deviation
    1e-10 * max(1, mean|column|) is added, drawn from ``random_state``, so
    that ties are broken reproducibly (the recipe of Kraskov et al. and of
    scikit-learn).  The estimate is not clipped at 0: small negative values
    are estimation noise around I = 0.  If x or y is constant the result is
    0.0.  One-dimensional x and y use a compiled grid search and compiled
    counts; otherwise ``scipy.spatial.cKDTree`` (SciPy is then required).

    ``"ross"``: I = psi(N) + <psi(k_i)> - <psi(N_{y_i})> - <psi(m_i)>, where
    d_i is the max-norm distance from x_i to its k_i-th nearest neighbour
    with the same label, m_i counts the points (any label, i included)
    strictly closer than d_i, N_c is the number of points with label c and
    N the number of points kept: points whose label occurs only once are
    left out (ValueError if no label occurs twice).  x is scaled and
    jittered as for ``"ksg"``; with one-dimensional x this is exactly
    scikit-learn's ``mutual_info_classif`` estimator without its clipping
    at 0.  Results are in units of ``base``.

    References
    ----------
    G. A. Miller, "Note on the bias of information estimates", 1955.
    P. Grassberger, "Entropy estimates from insufficient samplings",
    arXiv:physics/0307138, 2003.
    J. Hausser and K. Strimmer, "Entropy inference and the James-Stein
    estimator", J. Mach. Learn. Res. 10, 2009.
    A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's index of
    diversity when there are unseen species in sample", Environ. Ecol.
    Stat. 10, 2003.

    Examples
    --------
    >>> from infobits.estimate import mutual_information
    >>> x = ["rain", "rain", "sun", "sun", "sun", "rain"]
    >>> y = [1, 1, 0, 0, 0, 0]
    >>> print(f"{mutual_information(x, y):.6f}")
    0.459148
    >>> print(f"{mutual_information(x, y, method='miller_madow', base='nats'):.6f}")
    0.318257
    >>> mutual_information([0.5, 1.5], [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: x holds float samples (float64), ...
    >>> print(mutual_information([0.5, 1.5], [1, 2], method="plugin"))
    1.0

    Continuous samples:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(10_000)
    >>> y = 0.6 * x + 0.8 * rng.standard_normal(10_000)
    >>> round(float(mutual_information(x, y, method="ksg", base="nats")), 2)
    0.22
    >>> round(float(-0.5 * np.log(1 - 0.6**2)), 4)  # the true value, nats
    0.2231
    >>> labels = rng.integers(0, 2, 10_000)
    >>> z = rng.standard_normal(10_000) + 2 * labels
    >>> round(float(mutual_information(z, labels, method="ross")), 1)  # bits
    0.5
    """
    if _frames.has_pandas(x, y):  # DataFrames and Series, column by column
        return _frames.dispatch(mutual_information, (x, y),
                                dict(method=method, base=base, **kwargs))
    if method is None or method in DISCRETE_METHODS:
        return cast("Estimate", _discrete.mutual_information(x, y, method=method, base=base, **kwargs))
    if method in CONTINUOUS_METHODS:
        return _continuous.mutual_information(x, y, method=method, base=base, **kwargs)
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + CONTINUOUS_METHODS} or None, "
        f"got {method!r}"
    )
