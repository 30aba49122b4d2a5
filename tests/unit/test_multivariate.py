"""Multivariate measures on joint tables (infobits.total_correlation, ...).

References: closed forms of the classic distributions (xor, copies,
independent variables), and brute-force NumPy written differently from the
library: total correlation as the KL divergence of the joint from the
product of its marginals (``scipy.special.rel_entr``), conditional mutual
information as ``sum p log(p p_z / (p_xz p_yz))``, the co-information by
McGill's recursion (co-information of n - 1 variables minus its average
over the slices of the last one), and sklearn's ``mutual_info_score`` for
the two-variable case.  dit's values are in tests/peers.
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from scipy.special import rel_entr
from scipy.stats import entropy as sp_entropy

import infobits as ib

LN2 = math.log(2.0)
FUNCS = (ib.total_correlation, ib.dual_total_correlation, ib.o_information,
         ib.s_information, ib.interaction_information)


def xor3():
    p = np.zeros((2, 2, 2))
    for x, y in itertools.product((0, 1), repeat=2):
        p[x, y, x ^ y] = 0.25
    return p


def copies(n, k=2):
    p = np.zeros((k,) * n)
    for v in range(k):
        p[(v,) * n] = 1.0 / k
    return p


def random_table(rng, shape, zeros=0.2):
    p = rng.random(shape) ** 3
    p[rng.random(shape) < zeros] = 0.0
    return p / p.sum()


# ------------------------------------------------------- references (bits)
def ref_h(p):
    return sp_entropy(p.ravel(), base=2) if p.size else 0.0


def ref_marg(p, keep):
    drop = tuple(i for i in range(p.ndim) if i not in keep)
    return p.sum(axis=drop)


def ref_tc(p):
    # KL(p || prod_i p_i), the product built by broadcasting outer products
    prod = np.ones([1] * p.ndim)
    for i in range(p.ndim):
        shape = [1] * p.ndim
        shape[i] = p.shape[i]
        prod = prod * ref_marg(p, (i,)).reshape(shape)
    return rel_entr(p, prod).sum() / LN2


def ref_dtc(p):
    # H(X) - sum_i H(X_i | X_rest), each conditional entropy as -sum p log p(x_i | rest)
    n = p.ndim
    total = ref_h(p)
    for i in range(n):
        rest = ref_marg(p, tuple(j for j in range(n) if j != i))
        cond = np.expand_dims(rest, i)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p / cond, 1.0)), 0.0)
        total -= terms.sum()
    return total


def ref_coinfo(p):
    # McGill's recursion: I(X_1..X_n) = I(X_1..X_{n-1}) - E_{x_n} I(X_1..X_{n-1} | x_n)
    if p.ndim == 1:
        return ref_h(p)
    last = p.sum(axis=-1)
    cond = 0.0
    for k in range(p.shape[-1]):
        w = p[..., k].sum()
        if w > 0:
            cond += w * ref_coinfo(p[..., k] / w)
    return ref_coinfo(last) - cond


def ref_cmi(p):
    pz = p.sum(axis=(0, 1))[None, None, :]
    pxz = p.sum(axis=1)[:, None, :]
    pyz = p.sum(axis=0)[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log2(np.where(p > 0, p * pz / (pxz * pyz), 1.0)), 0.0)
    return t.sum()


# --------------------------------------------------------------- classics
def test_xor_known_values():
    p = xor3()
    assert ib.total_correlation(p) == pytest.approx(1.0, abs=1e-15)
    assert ib.dual_total_correlation(p) == pytest.approx(2.0, abs=1e-15)
    assert ib.o_information(p) == pytest.approx(-1.0, abs=1e-15)
    assert ib.s_information(p) == pytest.approx(3.0, abs=1e-15)
    assert ib.interaction_information(p) == pytest.approx(-1.0, abs=1e-15)
    assert ib.conditional_mutual_information(p) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_copies_known_values(n):
    # n copies of one fair bit (dit's "giant bit"): TC = n - 1, DTC = 1,
    # O = n - 2, co-information = 1 bit
    p = copies(n)
    assert ib.total_correlation(p) == pytest.approx(n - 1, abs=1e-14)
    assert ib.dual_total_correlation(p) == pytest.approx(1.0, abs=1e-14)
    assert ib.o_information(p) == pytest.approx(n - 2 if n >= 3 else 0.0, abs=1e-14)
    assert ib.s_information(p) == pytest.approx(n, abs=1e-14)
    assert ib.interaction_information(p) == pytest.approx(1.0, abs=1e-14)


def test_copies_of_a_trit_in_nats():
    p = copies(3, k=3)
    assert ib.total_correlation(p, base="nats") == pytest.approx(2 * math.log(3), rel=1e-14)
    assert ib.interaction_information(p, base="bans") == pytest.approx(math.log10(3), rel=1e-14)


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_independent_is_zero(f):
    rng = np.random.default_rng(1)
    margs = [rng.dirichlet(np.ones(k)) for k in (2, 3, 4, 2)]
    p = np.einsum("i,j,k,l->ijkl", *margs)
    assert abs(f(p)) < 1e-14


# ----------------------------------------------------------- random tables
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (3, 2, 2, 3), (2, 2, 3, 2, 2), (10, 10, 10, 10)])
def test_random_tables_against_references(shape):
    rng = np.random.default_rng(sum(shape))
    p = random_table(rng, shape)
    tc, dtc = ref_tc(p), ref_dtc(p)
    assert ib.total_correlation(p) == pytest.approx(tc, abs=1e-12)
    assert ib.dual_total_correlation(p) == pytest.approx(dtc, abs=1e-12)
    assert ib.o_information(p) == pytest.approx(tc - dtc if len(shape) >= 3 else 0.0, abs=1e-12)
    assert ib.s_information(p) == pytest.approx(tc + dtc, abs=1e-12)
    assert ib.interaction_information(p) == pytest.approx(ref_coinfo(p), abs=1e-12)


def test_two_variables_are_mutual_information():
    from sklearn.metrics import mutual_info_score

    rng = np.random.default_rng(5)
    counts = rng.integers(0, 20, (4, 6))
    p = counts / counts.sum()
    mi = mutual_info_score(None, None, contingency=counts) / LN2
    assert ib.total_correlation(p) == pytest.approx(mi, abs=1e-12)
    assert ib.dual_total_correlation(p) == pytest.approx(mi, abs=1e-12)
    assert ib.interaction_information(p) == pytest.approx(mi, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_conditional_mutual_information_random(seed):
    rng = np.random.default_rng(seed)
    p = random_table(rng, (3, 4, 5))
    assert ib.conditional_mutual_information(p) == pytest.approx(ref_cmi(p), abs=1e-12)
    # co-information = I(X;Y) - I(X;Y|Z)
    pxy = p.sum(axis=2)
    mi = rel_entr(pxy, np.outer(pxy.sum(1), pxy.sum(0))).sum() / LN2
    assert ib.interaction_information(p) == pytest.approx(mi - ref_cmi(p), abs=1e-12)


def test_one_variable():
    p = np.array([0.5, 0.25, 0.25])
    assert ib.total_correlation(p) == 0.0
    assert ib.dual_total_correlation(p) == 0.0
    assert ib.o_information(p) == 0.0
    assert ib.interaction_information(p) == pytest.approx(1.5, abs=1e-15)


# ------------------------------------------------------------ input rules
def test_float32_and_layouts_agree():
    rng = np.random.default_rng(7)
    p = random_table(rng, (3, 4, 5))
    ref = ib.o_information(p)
    assert ib.o_information(np.asfortranarray(p)) == ref
    assert ib.o_information(p[::-1, :, ::-1].copy()[::-1, :, ::-1]) == ref
    p32 = p.astype(np.float32)
    assert ib.o_information(p32) == pytest.approx(ib.o_information(p32.astype(np.float64)),
                                                  abs=1e-6)


def test_counts_raise_and_normalize():
    counts = np.array([[[3, 1], [0, 2]], [[1, 1], [2, 6]]])
    with pytest.raises(ValueError, match="p must hold probabilities.*normalize=True"):
        ib.total_correlation(counts)
    got = ib.total_correlation(counts, normalize=True)
    assert got == pytest.approx(ref_tc(counts / counts.sum()), abs=1e-12)
    assert ib.conditional_mutual_information(counts, normalize=True) == pytest.approx(
        ref_cmi(counts / counts.sum()), abs=1e-12)
    assert math.isnan(ib.o_information(np.zeros((2, 2, 2)), normalize=True))


def test_sum_warning_and_nan_policies():
    p = xor3() * 1.1
    with pytest.warns(RuntimeWarning, match="p sums to 1.1"):
        ib.o_information(p)
    q = xor3()
    q[0, 0, 0] = np.nan
    assert math.isnan(ib.total_correlation(q))
    with pytest.raises(ValueError, match="NaN at index"):
        ib.total_correlation(q, nan_policy="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = ib.total_correlation(q, nan_policy="omit")
    assert math.isfinite(v)
    with pytest.raises(ValueError, match="nan_policy"):
        ib.total_correlation(q, nan_policy="ignore")


def test_bad_arguments():
    with pytest.raises(ValueError, match="3-D joint table"):
        ib.conditional_mutual_information(np.full((2, 2), 0.25))
    with pytest.raises(TypeError, match="p"):
        ib.total_correlation(np.full((2, 2), 0.25 + 0j))
    with pytest.raises(ValueError, match="base"):
        ib.total_correlation(np.full((2, 2), 0.25), base=1)
    with pytest.raises(ValueError, match="-0.5 at index \\(1, 0\\)"):
        ib.dual_total_correlation(np.array([[0.75, 0.25], [-0.5, 0.5]]))
    with pytest.raises(ValueError, match="at least one axis"):
        ib.total_correlation(0.5)
