"""entropy, kl_divergence and mutual_information at 10^7 elements.

Peers: the seed chapter's NumPy code (nansum of p*log2 terms), SciPy's
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


# The seed's NumPy code, as printed (with np.nansum for MXNet's nansum).
def seed_entropy(p):
    return np.nansum(-p * np.log2(p))


def seed_kl(p, q):
    return np.abs(np.nansum(p * np.log2(p / q)))


def seed_mi(p_xy, p_x, p_y):
    p = p_xy / (p_x * p_y)
    return np.nansum(p_xy * np.log2(p))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_infobits(benchmark, probs_1e7, threads, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    p = probs_1e7[0].astype(dtype)
    r = benchmark(ib.entropy, p)
    assert math.isclose(r, seed_entropy(p.astype(np.float64)), rel_tol=1e-6)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_entropy_seed_numpy(benchmark, probs_1e7, dtype):
    benchmark.group = f"entropy 1e7 {dtype}"
    benchmark(seed_entropy, probs_1e7[0].astype(dtype))


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
def test_kl_seed_numpy(benchmark, probs_1e7, dtype):
    benchmark.group = f"kl 1e7 {dtype}"
    p, q = (a.astype(dtype) for a in probs_1e7)
    benchmark(seed_kl, p, q)


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
def test_mi_seed_numpy(benchmark, joint_1e7, dtype):
    benchmark.group = f"mi 1e7 {dtype}"
    pxy, px, py = (a.astype(dtype) for a in joint_1e7)
    benchmark(seed_mi, pxy, px, py)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mi_scipy_rel_entr(benchmark, joint_1e7, dtype):
    benchmark.group = f"mi 1e7 {dtype}"
    pxy, px, py = (a.astype(dtype) for a in joint_1e7)
    benchmark(lambda: np.sum(sp.rel_entr(pxy, px * py)) / LN2)
