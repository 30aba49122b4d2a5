"""permutation_test's null distributions against JIDT's computeSignificance.

JIDT draws its own permutations, so the two null distributions are
different samples of the same distribution: their means and standard
deviations are compared within statistical bounds (4 standard errors,
the data and random states fixed, so the test is deterministic).  With JIDT's
noise off and infobits' jitter off the statistics themselves are equal
(1e-9 nats).
"""
import _jidt
import numpy as np
import pytest

import infobits.estimate as est

_jidt.require()

M = 400


def _compare(ours, theirs):
    a, b = np.asarray(ours), np.asarray(theirs)
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert abs(a.mean() - b.mean()) < 4 * se, (a.mean(), b.mean(), se)
    # the standard deviations: ratio within 4 standard errors of a log-sd
    # (about sqrt(1 / (2 (m - 1))) each)
    lse = np.sqrt(1 / (2 * (a.size - 1)) + 1 / (2 * (b.size - 1)))
    assert abs(np.log(a.std(ddof=1) / b.std(ddof=1))) < 4 * lse


@pytest.mark.peers
def test_ksg_mi_null_matches_jidt():
    rng = np.random.default_rng(21)
    x = rng.standard_normal(800)
    y = 0.2 * x + rng.standard_normal(800)
    res = est.permutation_test(est.mutual_information, x, y, method="ksg", k=4, jitter=0,
                               standardize=False, base="nats", n_permutations=M,
                               random_state=0)
    calc = _jidt.calculator("measures.continuous.kraskov.MutualInfoCalculatorMultiVariateKraskov1",
                            k=4)
    calc.initialise(1, 1)
    calc.setObservations(_jidt.array(x), _jidt.array(y))
    stat = float(calc.computeAverageLocalOfObservations())
    dist = calc.computeSignificance(M)
    np.testing.assert_allclose(res.statistic, stat, rtol=0, atol=1e-9)
    _compare(res.null_distribution, np.array(dist.distribution, dtype=float))


@pytest.mark.peers
def test_ksg_te_null_matches_jidt():
    rng = np.random.default_rng(22)
    n = 600
    x = rng.standard_normal(n)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = 0.5 * y[t - 1] + 0.2 * x[t - 1] + rng.standard_normal()
    res = est.permutation_test(est.transfer_entropy, x, y, k=4, jitter=0, standardize=False,
                               base="nats", n_permutations=M, random_state=0)
    calc = _jidt.calculator("measures.continuous.kraskov.TransferEntropyCalculatorKraskov", k=4)
    calc.initialise(1)
    calc.setObservations(_jidt.array(x), _jidt.array(y))
    stat = float(calc.computeAverageLocalOfObservations())
    dist = calc.computeSignificance(M)
    np.testing.assert_allclose(res.statistic, stat, rtol=0, atol=1e-9)
    _compare(res.null_distribution, np.array(dist.distribution, dtype=float))
