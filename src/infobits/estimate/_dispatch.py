"""``mutual_information``: one name for labels and for continuous samples."""
from __future__ import annotations

from . import _continuous, _discrete

DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
CONTINUOUS_METHODS = ("ksg", "ross")


def mutual_information(x, y, *, method=None, base=2, **kwargs):
    """Mutual information I(X; Y) estimated from paired samples.

    (Docstring to be completed by the discrete and continuous estimator work.)

    Parameters
    ----------
    .. begin: continuous methods ("ksg", "ross"); kept with _continuous.py
    x : array_like
        For ``"ksg"`` and ``"ross"``: real samples of shape (n,) or (n, dx),
        one dx-dimensional variable (computed in float64).  NaN or infinite
        values raise ValueError.
    y : array_like
        ``"ksg"``: real samples of shape (n,) or (n, dy).  ``"ross"``: n
        discrete labels of any sortable dtype (integers, bools, strings);
        NaN labels raise ValueError.
    method : {"ksg", "ross"}
        ``"ksg"``: Kraskov-Stoegbauer-Grassberger (2004) algorithm 1 with the
        max-norm, continuous x and y of any dimension.  ``"ross"``: Ross
        (2014), continuous x of any dimension against discrete labels y (the
        estimator behind scikit-learn's ``mutual_info_classif``).
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
    .. end: continuous methods

    Notes
    -----
    .. begin: continuous methods ("ksg", "ross"); kept with _continuous.py
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

    >>> import numpy as np
    >>> from infobits.estimate import mutual_information
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

    .. end: continuous methods
    """
    if method is None or method in DISCRETE_METHODS:
        return _discrete.mutual_information(x, y, method=method, base=base, **kwargs)
    if method in CONTINUOUS_METHODS:
        return _continuous.mutual_information(x, y, method=method, base=base, **kwargs)
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + CONTINUOUS_METHODS} or None, "
        f"got {method!r}"
    )
