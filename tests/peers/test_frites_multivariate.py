"""GCMI multivariate measures against frites (bits).

Total correlation, dual total correlation and O-information with
``method="gcmi"`` as sums of frites' bias-corrected Gaussian entropies
(``ent_1d_g``) of its copula-normalised columns (``copnorm_1d``).  Skipped
when frites is missing (the CI peers step installs it).
"""
import numpy as np
import pytest

from infobits.estimate import dual_total_correlation, o_information, total_correlation

pytestmark = pytest.mark.peers
fc = pytest.importorskip("frites.core")


@pytest.mark.parametrize("seed", range(3))
def test_multivariate_gcmi_from_frites_entropies(seed):
    rng = np.random.default_rng(seed)
    X = np.exp(rng.standard_normal((800, 4)) @ (rng.standard_normal((4, 4)) * 0.5 + np.eye(4)))
    C = np.stack([fc.copnorm_1d(X[:, j]) for j in range(4)])

    def H(cols):
        return fc.ent_1d_g(C[list(cols)], biascorrect=True, demeaned=True)

    full = range(4)
    rest = [[j for j in full if j != i] for i in full]
    tc = sum(H([i]) for i in full) - H(full)
    dtc = sum(H(r) for r in rest) - 3 * H(full)
    assert total_correlation(X, method="gcmi") == pytest.approx(tc, rel=1e-10)
    assert dual_total_correlation(X, method="gcmi") == pytest.approx(dtc, rel=1e-10)
    assert o_information(X, method="gcmi") == pytest.approx(tc - dtc, rel=1e-9, abs=1e-12)
