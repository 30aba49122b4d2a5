"""Gaussian-copula (GCMI) estimates against frites' gcmi functions (bits).

frites implements Ince et al.'s estimators (copula normalisation by ranks,
Gaussian entropies with their bias correction).  Skipped, not passed, when
frites is missing (the CI peers step installs it).
"""
import numpy as np
import pytest

from infobits.estimate import conditional_mutual_information, mutual_information

gcmi_1d = pytest.importorskip("frites.core.gcmi_1d")


def _data(seed, n, d):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) @ rng.standard_normal((d, d))
    X[:, 0] = np.exp(X[:, 0])          # not Gaussian: the copula matters
    return X


@pytest.mark.parametrize("seed,n,dx,dy,dz",
                         [(0, 20, 1, 1, 1), (1, 300, 2, 1, 2), (2, 5000, 1, 2, 1),
                          (3, 20_000, 3, 3, 2)])
def test_gcmi_equals_frites(seed, n, dx, dy, dz):
    X = _data(seed, n, dx + dy + dz)
    x, y, z = X[:, :dx], X[:, dx:dx + dy], X[:, dx + dy:]
    assert mutual_information(x, y, method="gcmi") == pytest.approx(
        gcmi_1d.gcmi_1d_cc(x.T, y.T), rel=1e-10, abs=1e-12)
    assert conditional_mutual_information(x, y, z, method="gcmi") == pytest.approx(
        gcmi_1d.gccmi_1d_ccc(x.T, y.T, z.T), rel=1e-10, abs=1e-12)


def test_gaussian_entropy_without_bias_equals_frites():
    from infobits.estimate import differential_entropy
    X = np.random.default_rng(5).standard_normal((1000, 3))
    assert differential_entropy(X, method="gaussian") == pytest.approx(
        gcmi_1d.ent_1d_g(X.T, biascorrect=False), rel=1e-12)
