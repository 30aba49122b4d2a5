"""Shared set-up for the pytest-benchmark suites.

Run: python -m pytest benchmarks --benchmark-only --benchmark-columns=min,median,rounds
Each group puts infobits beside its peers; compare the min column within a
group (ratios measured side by side in one run).
"""
import numpy as np
import pytest

import infobits as ib


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"])
def threads(request):
    old = ib.get_num_threads()
    ib.set_num_threads(request.param)
    try:
        import torch

        torch_old = torch.get_num_threads()
        torch.set_num_threads(request.param)
    except ImportError:
        torch = None
    yield request.param
    ib.set_num_threads(old)
    if torch is not None:
        torch.set_num_threads(torch_old)


@pytest.fixture(scope="session")
def probs_1e7():
    rng = np.random.default_rng(0)
    p = rng.random(10_000_000)
    p /= p.sum()
    q = rng.random(10_000_000)
    q /= q.sum()
    return p, q


@pytest.fixture(scope="session")
def joint_1e7():
    rng = np.random.default_rng(1)
    pxy = rng.random((1000, 10_000))
    pxy /= pxy.sum()
    return pxy, pxy.sum(axis=1, keepdims=True), pxy.sum(axis=0, keepdims=True)
