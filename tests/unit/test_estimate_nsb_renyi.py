"""NSB entropy and MI, and the plug-in Renyi / Tsallis entropies of labels.

NSB reference: the NSB integral written out with mpmath at 20 digits over
every category (no counts of counts), integrated over t = log beta with
mpmath's tanh-sinh quadrature on many sub-intervals.  Renyi / Tsallis
reference: the formulas on ``np.unique`` frequencies in NumPy long double
(scipy.stats.entropy for the Shannon limits).  dit's renyi_entropy and
tsallis_entropy are compared in tests/peers/test_dit_multivariate.py
(infomeasure's Renyi and Tsallis estimators are k-NN estimators of
continuous data, and its NSB differs from the paper's integral: neither is
a reference here).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy

import infobits.estimate as est

mp = pytest.importorskip("mpmath")


def nsb_reference(counts, K):
    """NSB entropy (nats) of the counts over K categories, with mpmath."""
    mp.mp.dps = 20
    c = [int(v) for v in counts] + [0] * (K - len(counts))
    N = sum(c)

    def log_like(b):
        return (mp.loggamma(K * b) - mp.loggamma(N + K * b)
                + mp.fsum(mp.loggamma(v + b) - mp.loggamma(b) for v in c))

    def dxi(b):
        return K * mp.psi(1, K * b + 1) - mp.psi(1, b + 1)

    def post_mean(b):
        return mp.psi(0, N + K * b + 1) - mp.fsum((v + b) / (N + K * b) * mp.psi(0, v + b + 1)
                                                  for v in c)

    def f(t):
        b = mp.exp(t)
        return mp.exp(log_like(b)) * dxi(b) * b

    pts = [-60, -40, -20] + [0.5 * i for i in range(-24, 25)] + [20, 40, 80]
    den = mp.quad(f, pts)
    num = mp.quad(lambda t: f(t) * post_mean(mp.exp(t)), pts)
    return float(num / den)


@pytest.mark.parametrize("counts,K", [([2, 2, 1, 1, 1], 5), ([3, 1, 1], 6),
                                      ([50, 30, 20, 1], 4), ([1, 1, 1, 1], 4)])
def test_nsb_against_mpmath(counts, K):
    x = np.repeat(np.arange(len(counts)), counts)
    np.random.default_rng(0).shuffle(x)
    got = est.entropy(x, method="nsb", base="nats", n_categories=K)
    assert got == pytest.approx(nsb_reference(counts, K), rel=1e-10)


def test_nsb_default_alphabet_is_observed_and_bits():
    x = ["a", "b", "a", "c", "a", "b", "d"]
    ref = nsb_reference([3, 2, 1, 1], 4) / math.log(2)
    assert est.entropy(x, method="nsb") == pytest.approx(ref, rel=1e-10)


def test_nsb_mutual_information_is_sum_of_nsb_entropies():
    x = np.array([0, 0, 1, 1, 2, 2, 0, 1, 2, 0])
    y = np.array([0, 0, 1, 1, 1, 0, 0, 1, 1, 0])
    hx = nsb_reference(np.bincount(x), 3)
    hy = nsb_reference(np.bincount(y), 2)
    hxy = nsb_reference(np.bincount(x * 2 + y), 6)   # alphabet 3 x 2, all cells
    got = est.mutual_information(x, y, method="nsb", base="nats")
    assert got == pytest.approx(hx + hy - hxy, rel=1e-9, abs=1e-12)


def test_nsb_batch_and_edges():
    X = np.array([[0, 1], [0, 1], [1, 1], [2, 0]])
    got = est.entropy(X, method="nsb")
    assert got.shape == (2,)
    assert got[0] == est.entropy(X[:, 0], method="nsb")
    assert est.entropy([], method="nsb") == 0.0
    assert est.entropy([4, 4, 4], method="nsb") == 0.0        # one category
    with pytest.raises(ValueError, match="n_categories=2 is smaller"):
        est.entropy([0, 1, 2], method="nsb", n_categories=2)


# ------------------------------------------------------------ Renyi, Tsallis
def freqs(x):
    _, c = np.unique(np.asarray(x), return_counts=True)
    return c.astype(np.longdouble) / c.sum()


def renyi_ref(x, alpha, base=2.0):
    p = freqs(x)
    if alpha == 1:
        return sp_entropy(np.asarray(p, dtype=float), base=base)
    if alpha == 0:
        return math.log(p.size, base)
    if math.isinf(alpha):
        return float(-np.log(p.max()) / np.log(np.longdouble(base)))
    return float(np.log(np.sum(p ** np.longdouble(alpha))) / (1 - alpha)
                 / np.log(np.longdouble(base)))


def tsallis_ref(x, q):
    p = freqs(x)
    if q == 1:
        return sp_entropy(np.asarray(p, dtype=float))
    return float((1 - np.sum(p ** np.longdouble(q))) / (q - 1))


@pytest.mark.parametrize("alpha", [0, 0.3, 0.999, 1, 1.001, 2, 7.5, math.inf])
def test_renyi(alpha):
    x = np.random.default_rng(1).integers(0, 9, 500) ** 2
    assert est.renyi_entropy(x, alpha) == pytest.approx(renyi_ref(x, alpha), rel=1e-13)
    assert est.renyi_entropy(x, alpha, base="nats") == pytest.approx(
        renyi_ref(x, alpha, math.e), rel=1e-13)


@pytest.mark.parametrize("q", [0, 0.5, 1, 2, 3.7])
def test_tsallis(q):
    x = np.array(list("abracadabra alakazam"))
    assert est.tsallis_entropy(x, q) == pytest.approx(tsallis_ref(x, q), rel=1e-13)


def test_renyi_tsallis_batches_frames_and_errors():
    pd = pytest.importorskip("pandas")
    X = np.array([[0, 1], [0, 2], [1, 3], [0, 4]])
    np.testing.assert_allclose(est.renyi_entropy(X, 2), [renyi_ref(X[:, 0], 2),
                                                          renyi_ref(X[:, 1], 2)], rtol=1e-13)
    df = pd.DataFrame(X, columns=["u", "v"])
    s = est.tsallis_entropy(df, 2)
    assert list(s.index) == ["u", "v"]
    assert s["v"] == pytest.approx(tsallis_ref(X[:, 1], 2), rel=1e-13)
    assert est.renyi_entropy([], 2) == 0.0
    with pytest.raises(ValueError, match="alpha"):
        est.renyi_entropy([0, 1], -1)
    with pytest.raises(TypeError, match="q"):
        est.tsallis_entropy([0, 1], "2")
    with pytest.raises(ValueError, match="method"):
        est.renyi_entropy([0, 1], 2, method="nsb")
    with pytest.raises(ValueError, match="NaN"):
        est.renyi_entropy([0.5, np.nan], 2)
