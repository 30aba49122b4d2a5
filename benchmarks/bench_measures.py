"""entropy, kl_divergence and mutual_information at 10^7 elements.

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
from infobits.bench import d2l_entropy, d2l_kl, d2l_mi  # noqa: E402


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
