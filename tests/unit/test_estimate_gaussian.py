"""Gaussian and Gaussian-copula (GCMI) estimators of entropy, MI and CMI.

References: closed forms of normal distributions (tolerances measured over
300 seeds, see each test) and a NumPy/SciPy formula written here
independently (``np.cov`` + ``np.linalg.slogdet``; ``scipy.stats.rankdata``
+ ``scipy.special.ndtri`` + ``scipy.special.digamma`` for the copula and the
bias correction).  JIDT and frites agreement: tests/peers.
"""
import math

import numpy as np
import pytest
from scipy.special import digamma, ndtri
from scipy.stats import rankdata

from infobits.estimate import (
    conditional_mutual_information,
    differential_entropy,
    mutual_information,
)

C3 = np.array([[1.0, 0.6, 0.3], [0.6, 1.0, 0.5], [0.3, 0.5, 1.0]])


def _H(c):
    c = np.atleast_2d(c)
    return 0.5 * (len(c) * math.log(2 * math.pi * math.e) + np.linalg.slogdet(c)[1])


def _sub(c, idx):
    return c[np.ix_(idx, idx)]


# --- independent references -------------------------------------------------

def ref_entropy(a, gcmi=False):
    """Gaussian entropy (nats) of (n, d) samples: np.cov (n - 1) and slogdet;
    with gcmi the copula transform and the bias correction of Ince et al."""
    a = np.asarray(a, dtype=float).reshape(len(a), -1)
    n, d = a.shape
    if gcmi:
        a = ndtri(rankdata(a, axis=0, method="ordinal") / (n + 1))
        c = a.T @ a / (n - 1)                       # copula data: mean 0
    else:
        c = np.atleast_2d(np.cov(a, rowvar=False))
    h = 0.5 * (d * math.log(2 * math.pi * math.e) + np.linalg.slogdet(c)[1])
    if gcmi:
        h -= d * (math.log(2) - math.log(n - 1)) / 2
        h -= sum(digamma((n - j) / 2) / 2 for j in range(1, d + 1))
    return h


def ref_mi(x, y, gcmi=False):
    x, y = np.reshape(x, (len(x), -1)), np.reshape(y, (len(y), -1))
    return (ref_entropy(x, gcmi) + ref_entropy(y, gcmi)
            - ref_entropy(np.hstack([x, y]), gcmi))


def ref_cmi(x, y, z, gcmi=False):
    x, y, z = (np.reshape(v, (len(v), -1)) for v in (x, y, z))
    return (ref_entropy(np.hstack([x, z]), gcmi) + ref_entropy(np.hstack([y, z]), gcmi)
            - ref_entropy(np.hstack([x, y, z]), gcmi) - ref_entropy(z, gcmi))


def _data(seed, n=2000, c=C3):
    return np.random.default_rng(seed).standard_normal((n, len(c))) @ np.linalg.cholesky(c).T


# --- agreement with the independent formulas ---------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_gaussian_matches_numpy_formula(seed):
    rng = np.random.default_rng(seed)
    n = [7, 50, 1000, 5000][seed]
    X = rng.standard_normal((n, 5)) @ rng.standard_normal((5, 5)) + rng.normal(size=5) * 100
    x, y, z = X[:, :2], X[:, 2:3], X[:, 3:]
    assert differential_entropy(X, method="gaussian", base="nats") == pytest.approx(
        ref_entropy(X), rel=1e-12, abs=1e-12)
    assert mutual_information(x, y, method="gaussian", base="nats") == pytest.approx(
        ref_mi(x, y), rel=1e-10, abs=1e-12)
    assert conditional_mutual_information(x, y, z, method="gaussian", base="nats") == \
        pytest.approx(ref_cmi(x, y, z), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_gcmi_matches_numpy_formula(seed):
    rng = np.random.default_rng(10 + seed)
    n = [8, 50, 1000, 5000][seed]
    X = rng.standard_normal((n, 5)) @ rng.standard_normal((5, 5))
    X[:, 1] = np.exp(X[:, 1])
    x, y, z = X[:, :2], X[:, 2:3], X[:, 3:]
    assert mutual_information(x, y, method="gcmi", base="nats") == pytest.approx(
        ref_mi(x, y, True), rel=1e-10, abs=1e-12)
    assert conditional_mutual_information(x, y, z, method="gcmi", base="nats") == \
        pytest.approx(ref_cmi(x, y, z, True), rel=1e-10, abs=1e-12)


def test_gcmi_depends_only_on_ranks():
    X = _data(3)
    a = mutual_information(X[:, 0], X[:, 1], method="gcmi")
    b = mutual_information(np.exp(3 * X[:, 0]) + 7, np.arctan(X[:, 1] ** 3 + 2 * X[:, 1]),
                           method="gcmi")
    # both transforms are strictly increasing: check that no ties were made
    assert len(np.unique(np.arctan(X[:, 1] ** 3 + 2 * X[:, 1]))) == len(X)
    assert a == b


def test_gcmi_ties_ranked_in_order_of_appearance():
    x = np.array([0.0, 1.0, 1.0, 2.0, 1.0, 3.0, 0.5, 4.0, 2.5, 5.0])
    y = np.arange(10.0) ** 2
    # ordinal ranks: the tied 1.0s get ranks 3, 4, 5 in order
    assert mutual_information(x, y, method="gcmi") == pytest.approx(
        ref_mi(x, y, True) / math.log(2), rel=1e-12)


# --- closed forms (tolerances: 5 standard deviations of the estimate over
# 300 seeds at n = 2000; the largest deviation seen there is noted) ----------

_TMI = _H(C3[0, 0]) + _H(C3[1, 1]) - _H(_sub(C3, [0, 1]))           # 0.22314 nats
_TCMI = _H(_sub(C3, [0, 2])) + _H(_sub(C3, [1, 2])) - _H(C3) - _H(C3[2, 2])  # 0.17599


@pytest.mark.parametrize("seed", range(10))
def test_closed_forms(seed):
    X = _data(seed)
    x, y, z = X[:, 0], X[:, 1], X[:, 2]
    # sd 0.0135 (max 0.044 over 300 seeds)
    assert abs(mutual_information(x, y, method="gaussian", base="nats") - _TMI) < 0.07
    # monotone transforms do not change the copula estimate; sd 0.0135 (max 0.044)
    assert abs(mutual_information(np.exp(x), y ** 3, method="gcmi", base="nats") - _TMI) < 0.07
    # sd 0.0123 (max 0.034)
    assert abs(conditional_mutual_information(x, y, z, method="gaussian", base="nats")
               - _TCMI) < 0.065
    assert abs(conditional_mutual_information(x, y, z, method="gcmi", base="nats")
               - _TCMI) < 0.065
    # sd 0.028 (max 0.098)
    assert abs(differential_entropy(X, method="gaussian", base="nats") - _H(C3)) < 0.15


def test_closed_form_large_n_and_bits():
    X = _data(0, n=200_000)
    # the estimate's sd at n = 2e5 is ~0.0014 nats
    assert mutual_information(X[:, 0], X[:, 1], method="gaussian") == pytest.approx(
        _TMI / math.log(2), abs=0.01)
    assert differential_entropy(X[:, 0], method="gaussian", base=10) == pytest.approx(
        0.5 * math.log10(2 * math.pi * math.e), abs=0.005)


def test_result_types():
    X = _data(1, n=100)
    for v in (mutual_information(X[:, 0], X[:, 1], method="gaussian"),
              mutual_information(X[:, 0], X[:, 1], method="gcmi"),
              conditional_mutual_information(X[:, 0], X[:, 1], X[:, 2], method="gcmi"),
              differential_entropy(X, method="gaussian")):
        assert type(v) is np.float64


def test_inputs_int_float32_and_layouts():
    X = _data(2, n=300)
    ref = mutual_information(X[:, :1], X[:, 1:], method="gaussian")
    F = np.asfortranarray(X)
    assert mutual_information(F[:, :1], F[:, 1:], method="gaussian") == pytest.approx(
        ref, rel=1e-13)
    assert mutual_information(X[::-1, 0], X[::-1, 1:], method="gaussian") == pytest.approx(
        ref, rel=1e-12)
    Xi = np.round(X * 1000).astype(np.int64)
    assert mutual_information(Xi[:, 0], Xi[:, 1:], method="gaussian") == pytest.approx(
        ref_mi(Xi[:, 0].astype(float), Xi[:, 1:].astype(float)) / math.log(2), rel=1e-10)
    X32 = X.astype(np.float32)
    assert mutual_information(X32[:, 0], X32[:, 1], method="gcmi") == pytest.approx(
        ref_mi(X32[:, 0].astype(float), X32[:, 1].astype(float), True) / math.log(2),
        rel=1e-10)


# --- errors -----------------------------------------------------------------

def test_errors():
    X = _data(0, n=50)
    with pytest.raises(ValueError, match="same number of samples"):
        mutual_information(X[:, 0], X[:-1, 1], method="gaussian")
    with pytest.raises(ValueError, match="z must have the same number"):
        conditional_mutual_information(X[:, 0], X[:, 1], X[:-1, 2], method="gcmi")
    with pytest.raises(ValueError, match="more samples than dimensions"):
        mutual_information(X[:3, :2], X[:3, 2:], method="gaussian")
    with pytest.raises(ValueError, match="not positive definite"):
        mutual_information(X[:, 0], np.ones(50), method="gaussian")
    with pytest.raises(ValueError, match="not positive definite"):
        differential_entropy(np.c_[X[:, 0], 2 * X[:, 0]], method="gaussian")
    with pytest.raises(ValueError, match="not positive definite"):
        mutual_information(X[:, 0], X[:, 0], method="gaussian")
    bad = X[:, 1].copy()
    bad[7] = np.nan
    with pytest.raises(ValueError, match=r"y contains NaN .*index 7"):
        mutual_information(X[:, 0], bad, method="gcmi")
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        mutual_information(X[:, :, None], X[:, 0], method="gaussian")
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        mutual_information(X[:, 0] + 1j, X[:, 0], method="gaussian")
    with pytest.raises(ValueError, match="method must be one of"):
        conditional_mutual_information(X[:, 0], X[:, 1], X[:, 2], method="gauss")
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy(X, method="gaussian", window_length=3)
    with pytest.raises(TypeError):
        mutual_information(X[:, 0], X[:, 1], method="gaussian", k=3)
    with pytest.raises(ValueError, match="base"):
        mutual_information(X[:, 0], X[:, 1], method="gaussian", base=1)


def test_discrete_cmi_still_dispatched():
    x = [0, 1, 0, 1, 0, 1, 0, 1]
    z = [0, 0, 1, 1, 0, 0, 1, 1]
    y = [0, 1, 1, 0, 0, 1, 1, 0]
    assert conditional_mutual_information(x, y, z) == 1.0
    with pytest.raises(ValueError, match="float"):
        conditional_mutual_information(np.asarray(x, float), y, z)
