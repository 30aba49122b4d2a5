"""``mutual_information``: one name for labels and for continuous samples."""
from __future__ import annotations

from typing import Any, cast

from numpy.typing import ArrayLike

from .._typing import Base, Estimate
from . import _continuous, _discrete, _frames, _gaussian

DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")
CONTINUOUS_METHODS = ("ksg", "ross")
GAUSSIAN_METHODS = _gaussian.METHODS


def mutual_information(x: ArrayLike, y: ArrayLike, *, method: str | None = None, base: Base = 2,
                       **kwargs: Any) -> Estimate:
    """Mutual information I(X; Y) estimated from paired samples.

    One name for two kinds of data: discrete labels (the methods
    ``"plugin"``, ``"miller_madow"``, ``"grassberger"``, ``"james_stein"``,
    ``"chao_shen"``) and continuous samples (``"ksg"``, ``"ross"``,
    ``"gaussian"``, ``"gcmi"``).

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
        ``"gaussian"``: the closed form of a multivariate normal fitted to
        (x, y), ``(1/2) log(det C_x det C_y / det C_xy)`` with the sample
        covariances (normalised by n - 1; the normalisation cancels), no
        bias correction: the value of JIDT's
        ``MutualInfoCalculatorMultiVariateGaussian``.  ``"gcmi"``: the
        Gaussian-copula estimate (Ince et al. 2017): each dimension replaced
        by ``ndtri(rank / (n + 1))`` (ordinal ranks, ties in order of
        appearance), then the Gaussian entropies, each with its bias
        correction, as frites' ``gcmi_1d_cc``; it depends on the data only
        through the ranks.  Both take real samples (n,) or (n, d), a 2-D
        input being one d-dimensional variable, and need n > d_x + d_y and a
        positive definite covariance (ValueError otherwise: a constant or
        duplicated column); no other keywords.
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
    R. A. A. Ince et al., "A statistical framework for neuroimaging data
    analysis based on mutual information estimated via a Gaussian copula",
    Hum. Brain Mapp. 38, 1541-1573, 2017.

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
    >>> round(float(mutual_information(x, y, method="gaussian", base="nats")), 3)
    0.218
    >>> round(float(mutual_information(np.exp(x), y, method="gcmi", base="nats")), 3)
    0.218
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
    if method in GAUSSIAN_METHODS:
        return cast("Estimate", _gaussian.mutual_information(x, y, method=method, base=base,
                                                             **kwargs))
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + CONTINUOUS_METHODS + GAUSSIAN_METHODS} "
        f"or None, got {method!r}"
    )


def conditional_mutual_information(x: ArrayLike, y: ArrayLike, z: ArrayLike, *,
                                   method: str | None = None, base: Base = 2,
                                   **kwargs: Any) -> Estimate:
    """Conditional mutual information I(X; Y | Z) estimated from samples.

    One name for discrete labels (``"plugin"``, ``"miller_madow"``,
    ``"grassberger"``, ``"james_stein"``, ``"chao_shen"``; see
    :func:`infobits.estimate.mutual_information` for the formulas) and
    continuous samples (``"gaussian"``, ``"gcmi"``).

    Parameters
    ----------
    x, y, z : array_like
        Paired samples along axis 0, with the same number of samples.
        Discrete methods: labels of any hashable, sortable dtype, shape
        (n_samples,) or (n_samples, n_variables), a 2-D input being a
        batch of columns as in :func:`mutual_information`.  ``"gaussian"``
        and ``"gcmi"``: real samples (n,) or (n, d) each, a 2-D input being
        one d-dimensional variable (computed in float64; NaN or infinite
        values raise ValueError).
    method : str or None, default None
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples (ask for a method).  Discrete methods: ``"plugin"``
        (``sum (n_xyz/n) log(n_xyz n_z / (n_xz n_yz))``, clipped at 0) and
        the corrected ones, ``H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)`` with each
        entropy estimated by the method.  ``"gaussian"``: the closed form
        of a multivariate normal fitted to (x, y, z),
        ``(1/2) log(det C_xz det C_yz / (det C_z det C_xyz))``, covariances
        normalised by n - 1, no bias correction: the value of JIDT's
        ``ConditionalMutualInfoCalculatorMultiVariateGaussian``.
        ``"gcmi"``: the Gaussian-copula estimate (Ince et al. 2017), every
        dimension replaced by ``ndtri(rank / (n + 1))``, then the four
        Gaussian entropies, each with its bias correction, as frites'
        ``gccmi_1d_ccc``.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.
    n_categories : int or (int, int, int), optional
        Discrete methods only: alphabet sizes of X, Y and Z.

    Returns
    -------
    float64 or ndarray of float64
        A NumPy float64 scalar (an array for a batch of label columns).

    Raises
    ------
    ValueError
        Different sample counts, float samples without a method, an unknown
        method; for ``"gaussian"``/``"gcmi"``: n <= d_x + d_y + d_z, a
        covariance that is not positive definite (a constant or duplicated
        column), NaN or infinite samples.

    References
    ----------
    R. A. A. Ince et al., "A statistical framework for neuroimaging data
    analysis based on mutual information estimated via a Gaussian copula",
    Hum. Brain Mapp. 38, 1541-1573, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import conditional_mutual_information, mutual_information
    >>> x = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> z = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> y = [0, 1, 1, 0, 0, 1, 1, 0]    # y = x xor z
    >>> print(conditional_mutual_information(x, y, z))
    1.0

    Continuous samples: x and y depend on each other only through z.

    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal(10_000)
    >>> x = z + 0.5 * rng.standard_normal(10_000)
    >>> y = z + 0.5 * rng.standard_normal(10_000)
    >>> round(float(conditional_mutual_information(x, y, z, method="gaussian")), 3)
    0.0
    >>> round(float(mutual_information(x, y, method="gaussian")), 3)
    0.738
    """
    if _frames.has_pandas(x, y, z):  # DataFrames and Series, column by column
        return _frames.dispatch(conditional_mutual_information, (x, y, z),
                                dict(method=method, base=base, **kwargs))
    if method in GAUSSIAN_METHODS:
        return cast("Estimate", _gaussian.conditional_mutual_information(
            x, y, z, method=method, base=base, **kwargs))
    if method is None or method in DISCRETE_METHODS:
        return cast("Estimate", _discrete.conditional_mutual_information(
            x, y, z, method=method, base=base, **kwargs))
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + GAUSSIAN_METHODS} or None, "
        f"got {method!r}"
    )
