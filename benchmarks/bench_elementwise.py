"""The elementwise ufuncs at 10^7 elements: self_information and
pointwise_mutual_information against np.log2 (issue 9's row; goal 3x).

    python -m pytest benchmarks/bench_elementwise.py --benchmark-only
"""
import numpy as np
import pytest

import infobits as ib

N = 10**7


@pytest.fixture(scope="module")
def probs():
    return np.random.default_rng(0).uniform(1e-12, 1, N)


@pytest.fixture(scope="module")
def pmi_ops():
    pxy = np.random.default_rng(5).random((1000, N // 1000))
    pxy /= pxy.sum()
    return pxy, pxy.sum(1, keepdims=True), pxy.sum(0, keepdims=True)


def test_self_information_infobits(benchmark, probs):
    ib.set_num_threads(1)
    benchmark(ib.self_information, probs)


def test_self_information_np_log2(benchmark, probs):
    benchmark(np.log2, probs)


def test_pmi_infobits(benchmark, pmi_ops):
    ib.set_num_threads(1)
    benchmark(ib.pointwise_mutual_information, *pmi_ops)


def test_pmi_np_log2(benchmark, pmi_ops):
    a, b, c = pmi_ops
    benchmark(lambda: np.log2(a / (b * c)))
