"""entropy, kl_divergence, mutual_information and renyi_entropy at 10^6 and 10^7 elements.

Peers: the NumPy code of the d2l information-theory chapter (nansum of p*log2 terms), SciPy's
entr / rel_entr convex-analysis kernels, float32 and float64, 1 and 2
threads (infobits only; the NumPy/SciPy code is single-threaded).

    python -m pytest benchmarks/bench_measures.py --benchmark-only
"""
import math

import numpy as np
import pytest

import infobits as ib

sp = pytest.importorskip("scipy.special")
LN2 = math.log(2.0)

try:
    import torch
except ImportError:  # pragma: no cover - optional peer
    torch = None
try:
    import numexpr as ne
except ImportError:  # pragma: no cover - optional peer
    ne = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch not installed")
needs_numexpr = pytest.mark.skipif(ne is None, reason="numexpr not installed")


# The d2l chapter's NumPy code, as printed (one copy, shared with `infobits bench`).
from infobits.bench import (  # noqa: E402
    d2l_entropy,
    d2l_entropy_mask,
    d2l_kl,
    d2l_kl_mask,
    d2l_mi,
    d2l_mi_derived_mask,
)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_infobits(benchmark, probs_1e7, threads, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    p = probs_1e7[0].astype(dtype)
    r = benchmark(ib.entropy, p)
    assert math.isclose(r, d2l_entropy(p.astype(np.float64)), rel_tol=1e-6)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_d2l_numpy(benchmark, probs_1e7, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    benchmark(d2l_entropy, probs_1e7[0].astype(dtype))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_scipy_entr(benchmark, probs_1e7, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    p = probs_1e7[0].astype(dtype)
    benchmark(lambda: np.sum(sp.entr(p)) / LN2)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_infobits(benchmark, probs_1e7, threads, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (a.astype(dtype) for a in probs_1e7)
    benchmark(ib.kl_divergence, p, q)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_d2l_numpy(benchmark, probs_1e7, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (a.astype(dtype) for a in probs_1e7)
    benchmark(d2l_kl, p, q)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_scipy_rel_entr(benchmark, probs_1e7, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (a.astype(dtype) for a in probs_1e7)
    benchmark(lambda: np.sum(sp.rel_entr(p, q)) / LN2)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mi_infobits(benchmark, joint_1e7, threads, dtype):
    benchmark.group = f"mi 1e7 {dtype}"
    pxy, px, py = (a.astype(dtype) for a in joint_1e7)
    benchmark(ib.mutual_information, pxy, px, py)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mi_d2l_numpy(benchmark, joint_1e7, dtype):
    benchmark.group = f"mi 1e7 {dtype}"
    pxy, px, py = (a.astype(dtype) for a in joint_1e7)
    benchmark(d2l_mi, pxy, px, py)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mi_scipy_rel_entr(benchmark, joint_1e7, dtype):
    benchmark.group = f"mi 1e7 {dtype}"
    pxy, px, py = (a.astype(dtype) for a in joint_1e7)
    benchmark(lambda: np.sum(sp.rel_entr(pxy, px * py)) / LN2)


@needs_torch
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_torch(benchmark, probs_1e7, threads, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    t = torch.from_numpy(probs_1e7[0].astype(dtype))
    benchmark(lambda: float(torch.special.entr(t).sum()) / LN2)


@needs_torch
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_torch(benchmark, probs_1e7, threads, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (torch.from_numpy(a.astype(dtype)) for a in probs_1e7)
    benchmark(lambda: float(torch.special.xlogy(p, p / q).sum()) / LN2)


@needs_numexpr
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_numexpr(benchmark, probs_1e7, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    d = probs_1e7[0].astype(dtype)
    benchmark(lambda: float(ne.evaluate("sum(where(d > 0, -d * log(d), 0))",
                                         local_dict={"d": d})) / LN2)


@needs_numexpr
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kl_numexpr(benchmark, probs_1e7, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (a.astype(dtype) for a in probs_1e7)
    benchmark(lambda: float(ne.evaluate("sum(where(p > 0, p * log(p / q), 0))",
                                         local_dict={"p": p, "q": q})) / LN2)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_batched_entropy_infobits(benchmark, threads, dtype):
    benchmark.group = f"batched entropy (1e5, 100) axis=1 {dtype}"
    p = np.random.default_rng(3).random((100_000, 100)).astype(dtype)
    benchmark(ib.entropy, p, axis=1)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_batched_entropy_scipy_stats(benchmark, dtype):
    stats = pytest.importorskip("scipy.stats")
    benchmark.group = f"batched entropy (1e5, 100) axis=1 {dtype}"
    p = np.random.default_rng(3).random((100_000, 100)).astype(dtype)
    benchmark(stats.entropy, p, base=2, axis=1)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_batched_entropy_d2l_numpy(benchmark, dtype):
    benchmark.group = f"batched entropy (1e5, 100) axis=1 {dtype}"
    p = np.random.default_rng(3).random((100_000, 100)).astype(dtype)
    benchmark(lambda: np.nansum(-p * np.log2(p), axis=1))


def test_small_entropy_infobits(benchmark):
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    p = np.array([0.1, 0.5, 0.1, 0.3])
    benchmark(ib.entropy, p)


def test_small_entropy_d2l_numpy(benchmark):
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    p = np.array([0.1, 0.5, 0.1, 0.3])
    benchmark(d2l_entropy, p)


def test_small_entropy_scipy_stats(benchmark):
    stats = pytest.importorskip("scipy.stats")
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    p = np.array([0.1, 0.5, 0.1, 0.3])
    benchmark(stats.entropy, p, base=2)


def test_small_entropy_d2l_numpy_mask_nansum(benchmark):
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    p = np.array([0.1, 0.5, 0.1, 0.3])
    benchmark(d2l_entropy_mask, p)


# The general path's overhead: beside the 1-D fast path above.
def test_small_entropy_axis0_infobits(benchmark):
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    p = np.array([0.1, 0.5, 0.1, 0.3])
    benchmark(lambda: ib.entropy(p, axis=0))


def test_small_mi_2x2_infobits(benchmark):
    benchmark.group = "entropy of 4 elements (per-call overhead)"
    j = np.array([[0.1, 0.2], [0.3, 0.4]])
    benchmark(ib.mutual_information, j)


@pytest.fixture(scope="module")
def table_1000x1e4():
    a = np.random.default_rng(3).random((1000, 10**4))
    return a / a.sum(0)


@pytest.mark.parametrize("axis", [0, 1])
def test_entropy_axis_infobits(benchmark, table_1000x1e4, axis):
    benchmark.group = "entropy (1000, 1e4) C-ordered, axis=0 vs axis=1"
    benchmark(ib.entropy, table_1000x1e4, axis=axis)


def test_entropy_axis0_scipy_stats(benchmark, table_1000x1e4):
    stats = pytest.importorskip("scipy.stats")
    benchmark.group = "entropy (1000, 1e4) C-ordered, axis=0 vs axis=1"
    benchmark(lambda: stats.entropy(table_1000x1e4, base=2, axis=0))


@pytest.fixture(scope="module")
def joint_1000():
    p = np.random.default_rng(4).random((1000, 1000))
    return p / p.sum()


def test_mi_derived_infobits(benchmark, joint_1000):
    benchmark.group = "mutual_information (1000, 1000), marginals derived"
    benchmark(ib.mutual_information, joint_1000)


def test_mi_derived_d2l_numpy_mask_nansum(benchmark, joint_1000):
    benchmark.group = "mutual_information (1000, 1000), marginals derived"
    benchmark(d2l_mi_derived_mask, joint_1000)


@pytest.fixture(scope="module")
def sorted_normals():
    rng = np.random.default_rng(6)
    return np.sort(rng.normal(0, 1, 10**4)), np.sort(rng.normal(1, 1, 10**4))


def test_kl_normals_infobits(benchmark, sorted_normals):
    benchmark.group = "kl_divergence 1e4 sorted normal samples (mostly NaN terms)"
    benchmark(ib.kl_divergence, *sorted_normals)


def test_kl_normals_d2l_numpy_mask_nansum(benchmark, sorted_normals):
    benchmark.group = "kl_divergence 1e4 sorted normal samples (mostly NaN terms)"
    with np.errstate(all="ignore"):
        benchmark(d2l_kl_mask, *sorted_normals)


# Renyi entropy: one compiled pass (exp(alpha log p) per term; squares for
# alpha = 2) against NumPy's formula, which makes a temporary p**alpha.
def _renyi_numpy(p, a):
    return np.log2(np.sum(p ** a)) / (1 - a)


@pytest.mark.parametrize("n", [10**6, 10**7], ids=["1e6", "1e7"])
@pytest.mark.parametrize("alpha", [0.5, 2.0, 2.5])
def test_renyi_infobits(benchmark, probs_1e7, threads, alpha, n):
    benchmark.group = f"renyi_entropy alpha={alpha} n={n:.0e}"
    p = probs_1e7[0][:n] / probs_1e7[0][:n].sum()
    r = benchmark(ib.renyi_entropy, p, alpha)
    assert math.isclose(r, _renyi_numpy(p, alpha), rel_tol=1e-12)


@pytest.mark.parametrize("n", [10**6, 10**7], ids=["1e6", "1e7"])
@pytest.mark.parametrize("alpha", [0.5, 2.0, 2.5])
def test_renyi_numpy(benchmark, probs_1e7, alpha, n):
    benchmark.group = f"renyi_entropy alpha={alpha} n={n:.0e}"
    p = probs_1e7[0][:n] / probs_1e7[0][:n].sum()
    benchmark(_renyi_numpy, p, alpha)
