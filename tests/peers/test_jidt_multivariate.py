"""infobits.estimate's multivariate measures against JIDT.

KSG: ``total_correlation(method="ksg")`` against
``MultiInfoCalculatorKraskov1``/``2`` and ``o_information(method="ksg")``
against ``OInfoCalculatorKraskov``, with JIDT's noise and normalisation off
and infobits' ``jitter=0, standardize=False``: equal to 1e-9 nats, the local
values too.  Gaussian: the four measures against JIDT's
``MultiInfoCalculatorGaussian``, ``DualTotalCorrelationCalculatorGaussian``,
``OInfoCalculatorGaussian`` and ``SInfoCalculatorGaussian``.  Plug-in: against
``MultiInformationCalculatorDiscrete`` and the discrete O-/S-information and
dual total correlation calculators.
"""
from __future__ import annotations

import _jidt
import numpy as np
import pytest

import infobits.estimate as est

pytestmark = pytest.mark.peers
_jidt.require()

KSG = "measures.continuous.kraskov."
GAUSS = "measures.continuous.gaussian."


def data(seed, n, d, kind="normal"):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        A = rng.standard_normal((d, d)) * 0.6 + np.eye(d)
        return rng.standard_normal((n, d)) @ A
    if kind == "synergy":
        x = rng.standard_normal((n, d - 1))
        return np.column_stack([x, np.sin(2 * x.sum(axis=1)) + 0.3 * rng.standard_normal(n)])
    return rng.exponential(size=(n, d)) + rng.standard_normal((n, 1))   # shared component


def jidt_multi(cls, X, **props):
    calc = _jidt.calculator(cls, **props)
    return _jidt.compute(calc, (X.shape[1],), (X,))


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("d", [2, 3, 4, 6])
@pytest.mark.parametrize("kind", ["normal", "synergy", "shared"])
def test_total_correlation_ksg(algorithm, d, kind):
    X = data(d * 10 + algorithm, 700, d, kind)
    avg, loc = jidt_multi(KSG + f"MultiInfoCalculatorKraskov{algorithm}", X, k=4)
    got = est.total_correlation(X, method="ksg", jitter=0, standardize=False,
                                algorithm=algorithm, base="nats")
    assert got == pytest.approx(avg, abs=1e-9)
    mine = est.total_correlation(X, method="ksg", jitter=0, standardize=False,
                                 algorithm=algorithm, base="nats", local=True)
    np.testing.assert_allclose(mine, loc, rtol=0, atol=1e-9)


@pytest.mark.parametrize("k", [1, 3, 7])
def test_total_correlation_ksg_k_and_theiler(k):
    X = data(k, 500, 3)
    avg, _ = jidt_multi(KSG + "MultiInfoCalculatorKraskov1", X, k=k, DYN_CORR_EXCL=5)
    got = est.total_correlation(X, method="ksg", jitter=0, standardize=False, k=k,
                                theiler=5, base="nats")
    assert got == pytest.approx(avg, abs=1e-9)


@pytest.mark.parametrize("d", [3, 4, 5])
@pytest.mark.parametrize("kind", ["normal", "synergy", "shared"])
def test_o_information_ksg(d, kind):
    X = data(d, 600, d, kind)
    avg, loc = jidt_multi(KSG + "OInfoCalculatorKraskov", X, k=4)
    got = est.o_information(X, method="ksg", jitter=0, standardize=False, base="nats")
    assert got == pytest.approx(avg, abs=1e-9)
    mine = est.o_information(X, method="ksg", jitter=0, standardize=False, base="nats",
                             local=True)
    np.testing.assert_allclose(mine, loc, rtol=0, atol=1e-9)


@pytest.mark.parametrize("d", [3, 4, 5])
def test_gaussian_measures(d):
    X = data(d + 100, 2000, d, "shared")
    pairs = [("MultiInfoCalculatorGaussian", est.total_correlation),
             ("DualTotalCorrelationCalculatorGaussian", est.dual_total_correlation),
             ("OInfoCalculatorGaussian", est.o_information),
             ("SInfoCalculatorGaussian", est.s_information)]
    for cls, f in pairs:
        calc = _jidt.calculator(GAUSS + cls)
        calc.initialise(d)
        calc.setObservations(_jidt.array(X))
        avg = float(calc.computeAverageLocalOfObservations())
        assert f(X, method="gaussian", base="nats") == pytest.approx(avg, rel=1e-10,
                                                                      abs=1e-12), cls


def test_discrete_measures():
    jidt = _jidt.jidt()
    rng = np.random.default_rng(3)
    n, d, base = 3000, 4, 3
    X = rng.integers(0, base, (n, d))
    X[:, 3] = (X[:, 0] + X[:, 1] * (rng.random(n) < 0.7)) % base
    pairs = [("MultiInformationCalculatorDiscrete", est.total_correlation),
             ("DualTotalCorrelationCalculatorDiscrete", est.dual_total_correlation),
             ("OInfoCalculatorDiscrete", est.o_information),
             ("SInfoCalculatorDiscrete", est.s_information)]
    import jpype

    Xi = jpype.JArray(jpype.JInt, 2)(X.astype(np.int32).tolist())
    for cls, f in pairs:
        calc = getattr(jidt.measures.discrete, cls)(base, d)
        calc.initialise()
        calc.addObservations(Xi)
        avg = float(calc.computeAverageLocalOfObservations())
        assert f(X) == pytest.approx(avg, rel=1e-10, abs=1e-12), cls


def test_o_information_ksg_euclidean_norm():
    # (JIDT's MultiInfoCalculatorKraskov1 keeps the max-norm whatever
    # NORM_TYPE says; the Euclidean total correlation is checked against a
    # cKDTree reference in tests/unit/test_estimate_multivariate.py)
    X = data(12, 500, 4, "shared")
    avg, _ = jidt_multi(KSG + "OInfoCalculatorKraskov", X, k=4, NORM_TYPE="EUCLIDEAN")
    got = est.o_information(X, method="ksg", jitter=0, standardize=False, metric="euclidean",
                            base="nats")
    assert got == pytest.approx(avg, abs=1e-9)
