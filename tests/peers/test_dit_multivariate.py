"""The multivariate measures on joint tables against dit.

dit (``dit.Distribution``, ``dit.multivariate``) computes the entropy,
total correlation, dual total correlation, O-information, co-information
and conditional mutual information of the same distributions: random
tables of 2 to 5 variables and dit's classic examples (xor, and, rdn,
giant bit).  Agreement to 1e-12 bits.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import infobits as ib

pytestmark = pytest.mark.peers
dit = pytest.importorskip("dit", reason="dit is installed by CI's peers step")
dm = dit.multivariate


def as_dit(p):
    outcomes, pmf = [], []
    for idx in itertools.product(*[range(k) for k in p.shape]):
        if p[idx] > 0:
            outcomes.append(tuple(idx))
            pmf.append(float(p[idx]))
    return dit.Distribution(outcomes, pmf)


def as_table(d):
    n = d.outcome_length()
    alph = [sorted(a) for a in d.alphabet]
    p = np.zeros([len(a) for a in alph])
    for o, v in zip(d.outcomes, d.pmf):
        p[tuple(alph[i].index(o[i]) for i in range(n))] += v
    return p


def check(p, d):
    assert ib.total_correlation(p) == pytest.approx(dm.total_correlation(d), abs=1e-12)
    assert ib.dual_total_correlation(p) == pytest.approx(dm.dual_total_correlation(d),
                                                         abs=1e-12)
    assert ib.o_information(p) == pytest.approx(dm.o_information(d), abs=1e-12)
    assert ib.s_information(p) == pytest.approx(
        dm.total_correlation(d) + dm.dual_total_correlation(d), abs=1e-12)
    assert ib.interaction_information(p) == pytest.approx(dm.coinformation(d), abs=1e-12)
    assert ib.entropy(p) == pytest.approx(dm.entropy(d), abs=1e-12)


@pytest.mark.parametrize("shape", [(2, 3), (3, 3, 2), (2, 4, 3, 2), (2, 2, 3, 2, 2), (4, 4, 4)])
@pytest.mark.parametrize("seed", range(3))
def test_random_tables(shape, seed):
    rng = np.random.default_rng(seed * 97 + len(shape))
    p = rng.random(shape) ** 2
    p[rng.random(shape) < 0.25] = 0.0
    p /= p.sum()
    check(p, as_dit(p))


@pytest.mark.parametrize("name", ["Xor", "And", "Rdn", "Giant Bit"])
def test_classic_distributions(name):
    ex = dit.example_dists
    d = {"Xor": ex.Xor(), "And": ex.And(), "Rdn": ex.Rdn(),
         "Giant Bit": ex.giant_bit(4, 2)}[name]
    check(as_table(d), d)


@pytest.mark.parametrize("seed", range(4))
def test_conditional_mutual_information(seed):
    rng = np.random.default_rng(seed)
    p = rng.random((3, 2, 4))
    p /= p.sum()
    d = as_dit(p)
    ref = dm.coinformation(d, [[0], [1]], [2])
    assert ib.conditional_mutual_information(p) == pytest.approx(ref, abs=1e-12)


def test_odd_interaction_information_sign():
    # dit's interaction_information is -coinformation for 3 variables
    p = as_table(dit.example_dists.Xor())
    d = dit.example_dists.Xor()
    assert ib.interaction_information(p) == pytest.approx(-dm.interaction_information(d),
                                                          abs=1e-12)


@pytest.mark.parametrize("order", [0, 0.5, 1, 2, 3.5, float("inf")])
def test_renyi_and_tsallis_of_labels(order):
    # dit's renyi_entropy / tsallis_entropy of the empirical distribution
    from dit.other import renyi_entropy, tsallis_entropy

    import infobits.estimate as est

    x = np.random.default_rng(4).integers(0, 7, 300) * 3
    vals, counts = np.unique(x, return_counts=True)
    d = dit.Distribution([str(v) for v in vals], list(counts / counts.sum()))
    assert est.renyi_entropy(x, order) == pytest.approx(renyi_entropy(d, order), rel=1e-12)
    if order != float("inf"):
        assert est.tsallis_entropy(x, order) == pytest.approx(tsallis_entropy(d, order),
                                                              rel=1e-12)
