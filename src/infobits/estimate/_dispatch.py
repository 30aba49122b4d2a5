"""``mutual_information`` and ``conditional_mutual_information``: one name
for labels and for continuous samples."""
from __future__ import annotations

from typing import Any, cast

from numpy.typing import ArrayLike

from .._typing import Base, Estimate
from . import _continuous, _discrete, _frames, _gaussian

DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen", "nsb")
CONTINUOUS_METHODS = ("ksg", "ross")
CMI_CONTINUOUS_METHODS = ("ksg",)
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
          ``"chao_shen"`` (Chao & Shen 2003), ``"nsb"`` (Nemenman, Shafee
          & Bialek 2002): ``H(X) + H(Y) - H(X, Y)``,
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
        ``k``, ``metric``, ``theiler``, ``jitter``, ``standardize``,
        ``algorithm`` (``"ksg"``), ``local``, ``random_state`` (below).
        The discrete methods take none of them.
    k : int, default 3
        Neighbour order.  ``"ksg"`` needs n > k + 2 theiler; ``"ross"``
        uses min(k, n_c - 1) within a label that occurs n_c times.
    metric : {"chebyshev", "euclidean"}, default "chebyshev"
        The norm within each variable; the joint distance is the larger of
        the two variables' distances (the max-norm with ``"chebyshev"``).
    theiler : int, default 0
        Samples i and j with abs(i - j) <= theiler are never neighbours
        nor counted (time series; 0 excludes only the sample itself).
    jitter : float, default 1e-10
        Tie-breaking noise: Gaussian, of standard deviation ``jitter``
        times each dimension's standard deviation (after scaling), drawn
        from ``random_state``; 0 adds none.
    standardize : bool, default True
        Scale each dimension of the continuous samples to unit variance (no
        centring; constant dimensions are left unscaled) before the
        neighbour searches, as scikit-learn does.  With it the estimate does
        not change when a dimension is rescaled.
    algorithm : {1, 2}, default 1
        ``"ksg"``: Kraskov et al.'s algorithm 1 or 2.
    local : bool, default False
        Return the local (per-sample) values, whose mean is the estimate
        (``"ross"``: one per sample kept).
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
    strictly closer than eps_i in x and in y (algorithm 2: psi(k) - 1/k +
    psi(n) - <psi(n_x) + psi(n_y)>, the counts within or on the largest x
    and y distances among the k neighbours).  Before the searches each
    dimension is scaled (``standardize``) and noise of standard deviation
    ``jitter`` times its standard deviation is added, drawn from
    ``random_state``, so that ties are broken reproducibly.  With
    ``jitter=0, standardize=False`` the values equal JIDT's
    ``MutualInfoCalculatorMultiVariateKraskov1``/``2`` to 1e-9 nats.  The
    estimate is not clipped at 0: small negative values are estimation
    noise around I = 0.  If x or y is constant the result is
    0.0.  The searches run on infobits' compiled neighbour engine
    (one-dimensional x and y: a grid search and sorted counts).

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
    I. Nemenman, F. Shafee and W. Bialek, "Entropy and inference,
    revisited", NIPS 14, 2002.

    Examples
    --------
    >>> from infobits.estimate import mutual_information
    >>> x = ["rain", "rain", "sun", "sun", "sun", "rain"]
    >>> y = [1, 1, 0, 0, 0, 0]
    >>> print(f"{mutual_information(x, y):.6f}")
    0.459148
    >>> print(f"{mutual_information(x, y, method='miller_madow', base='nats'):.6f}")
    0.318257
    >>> print(f"{mutual_information(x, y, method='nsb'):.6f}")
    0.161242
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
                                   n_categories: ArrayLike | None = None, k: int | None = None,
                                   metric: str = "chebyshev", theiler: int = 0,
                                   jitter: float | None = None, standardize: bool = True,
                                   algorithm: int = 1, local: bool = False,
                                   random_state: Any = None) -> Estimate:
    """Conditional mutual information I(X; Y | Z) estimated from samples.

    One name for two kinds of data: discrete labels (the methods
    ``"plugin"``, ``"miller_madow"``, ``"grassberger"``, ``"james_stein"``,
    ``"chao_shen"``; see :func:`infobits.estimate.mutual_information` for
    the formulas) and continuous samples (``"ksg"``, the
    Kraskov-Stoegbauer-Grassberger estimator as extended to conditional MI
    by Frenzel & Pompe; ``"gaussian"``, ``"gcmi"``).

    Parameters
    ----------
    x, y, z : array_like
        Paired samples along axis 0, with the same number of samples.  For
        the discrete methods: labels of any hashable, sortable dtype, shape
        (n_samples,) or (n_samples, n_variables), a 2-D input being a batch
        of columns as in :func:`mutual_information`.  For ``"ksg"``,
        ``"gaussian"`` and ``"gcmi"``: real samples of shape (n,) or (n, d)
        each, one d-dimensional variable (any dimension for each of x, y
        and z; computed in float64; NaN or infinite values raise
        ValueError).
    method : str or None, default None
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples (pass a continuous method, or a discrete method to
        treat the values as labels).  Discrete methods: ``"plugin"``
        (``sum (n_xyz/n) log(n_xyz n_z / (n_xz n_yz))``, clipped at 0) and
        the corrected ones, ``H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)`` with each
        entropy estimated by the method.  ``"ksg"``: see the Notes.
        ``"gaussian"``: the closed form of a multivariate normal fitted to
        (x, y, z), ``(1/2) log(det C_xz det C_yz / (det C_z det C_xyz))``,
        covariances normalised by n - 1, no bias correction: the value of
        JIDT's ``ConditionalMutualInfoCalculatorMultiVariateGaussian``.
        ``"gcmi"``: the Gaussian-copula estimate (Ince et al. 2017), every
        dimension replaced by ``ndtri(rank / (n + 1))``, then the four
        Gaussian entropies, each with its bias correction, as frites'
        ``gccmi_1d_ccc``.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.
    n_categories : int or (int, int, int), optional
        Discrete methods only: the alphabet sizes of X, Y and Z.
    k : int, optional
        ``"ksg"``: neighbour order, default 4 (as JIDT).  Needs
        n > k + 2 * theiler.
    metric : {"chebyshev", "euclidean"}, default "chebyshev"
        ``"ksg"``: the norm within each variable; the joint distance is the
        largest of the three variables' distances (with ``"chebyshev"``, the
        max-norm over all coordinates, the estimator's usual form).
    theiler : int, default 0
        ``"ksg"``: dynamic-correlation exclusion for time series: samples i
        and j with abs(i - j) <= theiler are never neighbours, nor counted
        (0 excludes a sample from its own neighbourhood only; JIDT's
        ``DYN_CORR_EXCL``).
    jitter : float, optional
        ``"ksg"``: tie-breaking noise, default 1e-10: Gaussian noise of
        standard deviation ``jitter`` times each dimension's standard
        deviation (after scaling) is added to x, y and z, drawn from
        ``random_state``.  ``0`` adds none.
    standardize : bool, default True
        ``"ksg"``: scale each dimension to unit variance first (constant
        dimensions unscaled), so the estimate does not change when a
        dimension is rescaled.
    algorithm : {1, 2}, default 1
        ``"ksg"``: Kraskov et al.'s algorithm 1 (strict counts within the
        joint k-NN distance) or 2 (counts within each variable's largest
        distance among the k neighbours; JIDT's
        ``ConditionalMutualInfoCalculatorMultiVariateKraskov2``).
    local : bool, default False
        ``"ksg"``: return the local (per-sample) values, one per sample,
        whose mean is the estimate.
    random_state : None, int, numpy.random.Generator or RandomState
        ``"ksg"``: seed of the jitter.  ``None`` uses a fixed seed (0), so
        repeated calls give the same value.

    Returns
    -------
    float64 or ndarray of float64
        The estimate (an array for a batch of discrete columns, or the local
        values with ``local=True``).

    Raises
    ------
    ValueError
        Different sample counts, float samples without a method, NaN or
        infinite samples, too few samples for k, an unknown method, or a
        ``"ksg"`` option given to another method; for ``"gaussian"`` /
        ``"gcmi"``: n <= d_x + d_y + d_z, a covariance that is not positive
        definite (a constant or duplicated column).

    Notes
    -----
    ``"ksg"``, algorithm 1 (Frenzel & Pompe 2007): eps_i is the distance
    from sample i to its k-th nearest neighbour in the joint space (x, y,
    z), and n_xz, n_yz, n_z count the other samples strictly within eps_i
    in the spaces (x, z), (y, z) and z:
    I = psi(k) - < psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1) >.
    Algorithm 2 (Wibral et al. 2014): eps_x, eps_y, eps_z are the largest
    x, y and z distances among the k neighbours and the counts take the
    samples within or on them:
    I = psi(k) - 2/k + < psi(n_z) - psi(n_xz) - psi(n_yz) + 1/n_xz + 1/n_yz >.
    The digamma function is exact.  With ``jitter=0`` and
    ``standardize=False`` the values (and the local values) equal JIDT's
    ``ConditionalMutualInfoCalculatorMultiVariateKraskov1`` / ``2`` with its
    noise and normalisation switched off.  The searches run on infobits'
    compiled neighbour engine (a k-d tree per space, multithreaded, results
    bitwise identical for any thread count).  The estimate is not clipped
    at 0.  If x or y is constant the result is 0.

    References
    ----------
    S. Frenzel and B. Pompe, "Partial mutual information for coupling
    analysis of multivariate time series", Phys. Rev. Lett. 99, 2007.
    A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
    information", Phys. Rev. E 69, 2004.
    M. Wibral, R. Vicente and M. Lindner, "Transfer entropy in
    neuroscience", in Directed Information Measures in Neuroscience, 2014.
    R. A. A. Ince et al., "A statistical framework for neuroimaging data
    analysis based on mutual information estimated via a Gaussian copula",
    Hum. Brain Mapp. 38, 1541-1573, 2017.

    Examples
    --------
    >>> from infobits.estimate import conditional_mutual_information
    >>> x = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> z = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> y = [0, 1, 1, 0, 0, 1, 1, 0]    # y = x xor z
    >>> print(conditional_mutual_information(x, y, z))
    1.0

    Continuous samples: Y depends on X only through Z, so I(X; Y | Z) = 0,
    while X and Y share information with Z:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal(5000)
    >>> x = z + 0.5 * rng.standard_normal(5000)
    >>> y = z + 0.5 * rng.standard_normal(5000)
    >>> round(float(conditional_mutual_information(x, y, z, method="ksg")), 1)
    0.0
    >>> w = x + 0.5 * rng.standard_normal(5000)   # depends on x beyond z
    >>> round(float(conditional_mutual_information(x, w, z, method="ksg", base="nats")), 2)
    0.35
    >>> round(0.5 * np.log(2), 4)   # the true value, nats
    np.float64(0.3466)
    >>> round(float(conditional_mutual_information(x, y, z, method="gaussian")), 3)
    0.0
    """
    if _frames.has_pandas(x, y, z):  # DataFrames and Series, column by column
        return _frames.dispatch(conditional_mutual_information, (x, y, z),
                                dict(method=method, base=base, n_categories=n_categories, k=k,
                                     metric=metric, theiler=theiler, jitter=jitter,
                                     standardize=standardize, algorithm=algorithm,
                                     local=local, random_state=random_state))
    if method is None or method in DISCRETE_METHODS or method in GAUSSIAN_METHODS:
        extra = {"k": k, "jitter": jitter, "random_state": random_state}
        given = [name for name, v in extra.items() if v is not None]
        given += [name for name, v, d in (("metric", metric, "chebyshev"), ("theiler", theiler, 0),
                                          ("standardize", standardize, True),
                                          ("algorithm", algorithm, 1), ("local", local, False))
                  if not (v is d or (type(v) is type(d) and v == d))]
        if given:
            raise ValueError(
                f"{', '.join(given)}: option(s) of the continuous method 'ksg', not of "
                f"method {method or 'plugin'!r}")
        if method in GAUSSIAN_METHODS:
            if n_categories is not None:
                raise ValueError(f"n_categories applies to the discrete methods, not {method!r}")
            return cast("Estimate", _gaussian.conditional_mutual_information(
                x, y, z, method=method, base=base))
        return cast("Estimate", _discrete.conditional_mutual_information(
            x, y, z, method=method, base=base, n_categories=n_categories))
    if method in CMI_CONTINUOUS_METHODS:
        if n_categories is not None:
            raise ValueError("n_categories applies to the discrete methods, not 'ksg'")
        return cast("Estimate", _continuous.conditional_mutual_information(
            x, y, z, method=method, base=base, k=4 if k is None else k, metric=metric,
            theiler=theiler, jitter=1e-10 if jitter is None else jitter,
            standardize=standardize, algorithm=algorithm, local=local,
            random_state=random_state))
    raise ValueError(
        f"method must be one of {DISCRETE_METHODS + CMI_CONTINUOUS_METHODS + GAUSSIAN_METHODS} "
        f"or None, got {method!r}"
    )
