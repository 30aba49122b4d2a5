"""Renyi and Tsallis entropies against dit's (``dit.other.renyi_entropy``,
``dit.other.tsallis_entropy``; bits for Renyi, unitless for Tsallis).
Skipped, not passed, when dit is missing (the CI peers step installs it).
"""
import math

import numpy as np
import pytest

import infobits as ib

dit = pytest.importorskip("dit")
from dit.other import renyi_entropy, tsallis_entropy  # noqa: E402


def _dists():
    rng = np.random.default_rng(22)
    out = [np.array([0.5, 0.25, 0.25]), np.full(8, 0.125), np.array([1.0])]
    for n in (2, 5, 40):
        p = rng.dirichlet(np.full(n, 0.5))
        out.append(p / p.sum())
    return out


@pytest.mark.parametrize("order", [0.0, 0.5, 1.0, 2.0, 2.5, 7.0, math.inf])
def test_renyi_equals_dit(order):
    for p in _dists():
        d = dit.Distribution([str(i) for i in range(p.size)], list(p))
        assert ib.renyi_entropy(p, order) == pytest.approx(renyi_entropy(d, order),
                                                           rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("order", [0.0, 0.5, 1.5, 2.0, 3.0, 7.0])
def test_tsallis_equals_dit(order):
    for p in _dists():
        d = dit.Distribution([str(i) for i in range(p.size)], list(p))
        assert ib.tsallis_entropy(p, order) == pytest.approx(tsallis_entropy(d, order),
                                                             rel=1e-12, abs=1e-14)
