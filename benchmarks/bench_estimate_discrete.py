"""Discrete estimators from labels (infobits.estimate) against scikit-learn.

Workloads (single thread unless noted; compare the min column within a group):
- MI from 10^6 label pairs with 100 x 100 categories vs
  sklearn.metrics.mutual_info_score (goal >= 5x);
- mutual_information_matrix of 10^5 samples x 20 variables with 10
  categories vs a Python loop of mutual_info_score over the 190 pairs
  (goal >= 20x);
- the same matrix with 50 variables, 2 threads vs 1 (goal >= 1.7x).

    python -m pytest benchmarks/bench_estimate_discrete.py --benchmark-only \
        --benchmark-columns=min,median,rounds
"""
import itertools

import numpy as np
import pytest

import infobits as ib
import infobits.estimate as est

skm = pytest.importorskip("sklearn.metrics")


@pytest.fixture(scope="module")
def label_pairs():
    rng = np.random.default_rng(7)
    return rng.integers(0, 100, 10**6), rng.integers(0, 100, 10**6)


@pytest.fixture(scope="module")
def labels_20():
    return np.random.default_rng(8).integers(0, 10, (10**5, 20))


@pytest.fixture(scope="module")
def labels_50():
    return np.random.default_rng(8).integers(0, 10, (10**5, 50))


@pytest.fixture
def one_thread():
    old = ib.get_num_threads()
    ib.set_num_threads(1)
    yield
    ib.set_num_threads(old)


@pytest.mark.benchmark(group="estimate MI 1e6 label pairs 100x100")
def test_mi_infobits(benchmark, label_pairs, one_thread):
    v = benchmark(est.mutual_information, *label_pairs, base="nats")
    assert v == pytest.approx(skm.mutual_info_score(*label_pairs), rel=1e-10)


@pytest.mark.benchmark(group="estimate MI 1e6 label pairs 100x100")
def test_mi_sklearn(benchmark, label_pairs):
    benchmark(skm.mutual_info_score, *label_pairs)


@pytest.mark.benchmark(group="estimate MI matrix (1e5, 20)")
def test_matrix_infobits(benchmark, labels_20, one_thread):
    benchmark(est.mutual_information_matrix, labels_20)


def _sklearn_pairs(X):
    return [skm.mutual_info_score(X[:, i], X[:, j])
            for i, j in itertools.combinations(range(X.shape[1]), 2)]


@pytest.mark.benchmark(group="estimate MI matrix (1e5, 20)")
def test_matrix_sklearn_loop(benchmark, labels_20):
    benchmark.pedantic(_sklearn_pairs, args=(labels_20,), rounds=3, iterations=1)


@pytest.mark.parametrize("threads", [1, 2], ids=["1thread", "2threads"])
@pytest.mark.benchmark(group="estimate MI matrix (1e5, 50) threads")
def test_matrix_threads(benchmark, labels_50, threads):
    old = ib.get_num_threads()
    ib.set_num_threads(threads)
    try:
        benchmark(est.mutual_information_matrix, labels_50)
    finally:
        ib.set_num_threads(old)
