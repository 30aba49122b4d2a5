"""Multivariate estimators from samples (infobits.estimate.total_correlation,
dual_total_correlation, o_information, s_information,
interaction_information).

References: plug-in entropies of ``np.unique(..., axis=0)`` row counts
(scipy.stats.entropy) combined by the definitions; sklearn's
``mutual_info_score`` for two variables; SciPy's
``multivariate_normal(...).entropy()`` of the sample covariance for
``"gaussian"``; SciPy's ordinal ranks (``rankdata``) and ``ndtri`` with the
Wishart bias correction written out for ``"gcmi"``; closed forms of a known
normal covariance for ``"ksg"`` (tolerances measured: see each test).
JIDT's values are in tests/peers/test_jidt_multivariate.py.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.special import digamma, ndtri
from scipy.stats import entropy as sp_entropy
from scipy.stats import multivariate_normal, rankdata

import infobits.estimate as est

LN2 = math.log(2.0)


def h_rows(X, cols):
    """Plug-in entropy (bits) of the rows of X[:, cols]."""
    if not cols:
        return 0.0
    _, counts = np.unique(X[:, list(cols)], axis=0, return_counts=True)
    return sp_entropy(counts, base=2)


def ref_plugin(X):
    n = X.shape[1]
    full = list(range(n))
    tc = sum(h_rows(X, [i]) for i in full) - h_rows(X, full)
    dtc = h_rows(X, full) - sum(h_rows(X, full) - h_rows(X, [j for j in full if j != i])
                                for i in full)
    co = -sum((-1) ** len(s) * h_rows(X, s) for r in range(1, n + 1)
              for s in itertools.combinations(full, r))
    return tc, dtc, co


def labels(seed, n=400, d=4, k=3):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, k, (n, d))
    X[:, -1] = (X[:, 0] + X[:, 1]) % k
    flip = rng.random(n) < 0.2
    X[flip, -1] = rng.integers(0, k, flip.sum())
    return X


@pytest.mark.parametrize("seed", range(3))
def test_plugin_against_unique_counts(seed):
    X = labels(seed)
    tc, dtc, co = ref_plugin(X)
    assert est.total_correlation(X) == pytest.approx(tc, abs=1e-12)
    assert est.dual_total_correlation(X) == pytest.approx(dtc, abs=1e-12)
    assert est.o_information(X) == pytest.approx(tc - dtc, abs=1e-12)
    assert est.s_information(X) == pytest.approx(tc + dtc, abs=1e-12)
    x, y, z = X[:, 0], X[:, 1], X[:, 3]
    assert est.interaction_information(x, y, z) == pytest.approx(
        ref_plugin(np.column_stack([x, y, z]))[2], abs=1e-12)


def test_plugin_two_variables_is_sklearn_mi():
    from sklearn.metrics import mutual_info_score

    X = labels(9, d=2)
    mi = mutual_info_score(X[:, 0], X[:, 1]) / LN2
    assert est.total_correlation(X) == pytest.approx(mi, abs=1e-12)
    assert est.dual_total_correlation(X) == pytest.approx(mi, abs=1e-12)
    assert est.o_information(X) == 0.0


def test_plugin_string_labels_and_dataframe():
    pd = pytest.importorskip("pandas")
    X = labels(4)
    words = np.array(["rain", "sun", "snow"])[X]
    ref = est.o_information(X)
    assert est.o_information(words) == pytest.approx(ref, abs=1e-12)
    df = pd.DataFrame({"a": words[:, 0], "b": X[:, 1], "c": words[:, 2], "d": X[:, 3]})
    assert est.o_information(df) == pytest.approx(ref, abs=1e-12)
    assert est.interaction_information(df["a"], df["b"], df["d"]) == pytest.approx(
        est.interaction_information(X[:, 0], X[:, 1], X[:, 3]), abs=1e-12)


def test_xor_samples():
    X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 25)
    assert est.total_correlation(X) == pytest.approx(1.0, abs=1e-14)
    assert est.dual_total_correlation(X) == pytest.approx(2.0, abs=1e-14)
    assert est.o_information(X) == pytest.approx(-1.0, abs=1e-14)
    assert est.interaction_information(X[:, 0], X[:, 1], X[:, 2]) == pytest.approx(
        -1.0, abs=1e-14)


# ------------------------------------------------------------- Gaussian
def normal_samples(seed, n=3000, d=4):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((d, d)) * 0.5 + np.eye(d)
    C = A @ A.T
    return rng.multivariate_normal(np.zeros(d), C, size=n), C


def gauss_h(C, idx):
    return multivariate_normal(cov=C[np.ix_(idx, idx)]).entropy()   # nats


def ref_gauss(C):
    d = C.shape[0]
    full = list(range(d))
    H = lambda s: gauss_h(C, list(s)) if s else 0.0  # noqa: E731
    tc = sum(H([i]) for i in full) - H(full)
    dtc = sum(H([j for j in full if j != i]) for i in full) - (d - 1) * H(full)
    co = -sum((-1) ** len(s) * H(s) for r in range(1, d + 1)
              for s in itertools.combinations(full, r))
    return tc, dtc, co


@pytest.mark.parametrize("seed", range(3))
def test_gaussian_equals_the_sample_covariance_closed_form(seed):
    X, _ = normal_samples(seed)
    S = np.cov(X, rowvar=False)       # normalised by n - 1, as JIDT
    tc, dtc, _ = ref_gauss(S)
    kw = dict(method="gaussian", base="nats")
    assert est.total_correlation(X, **kw) == pytest.approx(tc, rel=1e-12)
    assert est.dual_total_correlation(X, **kw) == pytest.approx(dtc, rel=1e-12)
    assert est.o_information(X, **kw) == pytest.approx(tc - dtc, rel=1e-10, abs=1e-13)
    assert est.s_information(X, **kw) == pytest.approx(tc + dtc, rel=1e-12)
    co = ref_gauss(S[:3, :3])[2]
    got = est.interaction_information(X[:, 0], X[:, 1], X[:, 2], **kw)
    assert got == pytest.approx(co, rel=1e-10, abs=1e-13)


def test_gaussian_close_to_the_true_covariance():
    # n = 2e4: the largest error of the two estimates, measured over 10
    # seeds, is 0.0102 nats; bound 0.03
    X, C = normal_samples(11, n=20_000)
    tc, dtc, _ = ref_gauss(C)
    assert est.total_correlation(X, method="gaussian", base="nats") == pytest.approx(tc, abs=0.03)
    assert est.o_information(X, method="gaussian", base="nats") == pytest.approx(tc - dtc,
                                                                                abs=0.03)


@pytest.mark.parametrize("ties", [False, True])
def test_gcmi_against_scipy_ranks(ties):
    X, _ = normal_samples(5, n=1500)
    X = np.exp(X)                              # a monotone map: GCMI sees only ranks
    if ties:
        X = np.round(X, 1)                     # ties: ranked in order of appearance
    n, d = X.shape
    G = ndtri(np.column_stack([rankdata(X[:, j], method="ordinal") for j in range(d)])
              / (n + 1.0))
    C = G.T @ G / (n - 1.0)

    def H(s):
        k = len(s)
        bias = k * (math.log(2.0) - math.log(n - 1.0)) / 2 + sum(
            digamma((n - j) / 2.0) for j in range(1, k + 1)) / 2
        return multivariate_normal(cov=C[np.ix_(s, s)]).entropy() - bias

    full = list(range(d))
    tc = sum(H([i]) for i in full) - H(full)
    dtc = sum(H([j for j in full if j != i]) for i in full) - (d - 1) * H(full)
    kw = dict(method="gcmi", base="nats")
    assert est.total_correlation(X, **kw) == pytest.approx(tc, rel=1e-10)
    assert est.o_information(X, **kw) == pytest.approx(tc - dtc, rel=1e-9, abs=1e-12)
    assert est.s_information(X, **kw) == pytest.approx(tc + dtc, rel=1e-10)


# ------------------------------------------------------------------ KSG
def test_ksg_total_correlation_close_to_the_closed_form():
    # a moderately correlated normal (TC = 0.284 nats); measured over 10
    # seeds at n = 5000, k = 4: |error| <= 0.032 nats for both algorithms
    # (KSG's bias and spread); bound 0.06
    C = np.array([[1, .5, .3, .2], [.5, 1, .2, .1], [.3, .2, 1, .4], [.2, .1, .4, 1.]])
    X = np.random.default_rng(2).multivariate_normal(np.zeros(4), C, size=5000)
    tc = ref_gauss(C)[0]
    assert est.total_correlation(X, method="ksg", base="nats") == pytest.approx(tc, abs=0.06)
    assert est.total_correlation(X, method="ksg", algorithm=2,
                                 base="nats") == pytest.approx(tc, abs=0.06)


@pytest.mark.parametrize("p", [np.inf, 2])
def test_ksg_total_correlation_against_ckdtree(p):
    # brute force: the k-th neighbour distance in the joint space by SciPy's
    # cKDTree (max-norm or Euclidean), strict counts per column by NumPy
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(12)
    X = rng.exponential(size=(400, 4)) + rng.standard_normal((400, 1))
    n, D, k = 400, 4, 4
    eps = cKDTree(X).query(X, k=k + 1, p=p)[0][:, k]
    counts = [(np.abs(X[:, j][None, :] - X[:, j][:, None]) < eps[:, None]).sum(axis=1) - 1
              for j in range(D)]
    ref = digamma(k) + (D - 1) * digamma(n) - np.mean(sum(digamma(c + 1) for c in counts))
    got = est.total_correlation(X, method="ksg", jitter=0, standardize=False, base="nats",
                                metric="chebyshev" if p == np.inf else "euclidean")
    assert got == pytest.approx(ref, abs=1e-10)


def test_ksg_o_information_sign():
    rng = np.random.default_rng(0)
    s = rng.standard_normal(4000)
    red = s[:, None] + 0.4 * rng.standard_normal((4000, 3))      # one shared source
    assert est.o_information(red, method="ksg") > 0.3
    x = rng.standard_normal((4000, 2))
    syn = np.column_stack([x, x[:, 0] * x[:, 1] + 0.05 * rng.standard_normal(4000)])
    assert est.o_information(syn, method="ksg") < -0.2


def test_ksg_scale_invariant_and_local_mean():
    X, _ = normal_samples(3, n=800)
    a = est.total_correlation(X, method="ksg")
    b = est.total_correlation(X * [1.0, 1e3, 1e-3, 7.0], method="ksg")
    assert a == pytest.approx(b, abs=1e-9)
    loc = est.o_information(X, method="ksg", local=True)
    assert loc.shape == (800,)
    assert float(np.mean(loc)) == pytest.approx(est.o_information(X, method="ksg"), abs=1e-12)


# ------------------------------------------------------------ arguments
def test_argument_errors():
    X = np.random.default_rng(0).standard_normal((50, 3))
    with pytest.raises(ValueError, match="float samples"):
        est.total_correlation(X)
    with pytest.raises(ValueError, match="k: option"):
        est.total_correlation(X.round(), method="plugin", k=3)
    with pytest.raises(ValueError, match="method must be one of"):
        est.dual_total_correlation(X, method="ksg")
    with pytest.raises(ValueError, match="2-D"):
        est.o_information(X[:, 0], method="gaussian")
    with pytest.raises(ValueError, match="more samples than k"):
        est.total_correlation(X[:3], method="ksg")
    with pytest.raises(ValueError, match="algorithm=2"):
        est.o_information(X, method="ksg", algorithm=2)
    with pytest.raises(ValueError, match="same number of samples"):
        est.interaction_information([0, 1], [0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="NaN or infinite"):
        est.total_correlation(np.r_[X, [[np.nan, 0, 0]]], method="gaussian")
