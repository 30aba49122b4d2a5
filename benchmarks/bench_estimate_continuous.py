"""Continuous estimators of infobits.estimate against their peers.

- vasicek differential entropy of 10^5 samples vs scipy.stats.differential_entropy
- KSG mutual information of 10^4 pairs (1-D each, k = 3) vs scikit-learn's
  mutual_info_regression
- 1-D two-sample KL of 10^6 samples (k = 1) vs the same estimator written with
  two scipy.spatial.cKDTree queries

Single thread (infobits at 1 thread; SciPy's cKDTree and scikit-learn run
single-threaded by default).  Compare the min column within a group.

    python -m pytest benchmarks/bench_estimate_continuous.py --benchmark-only \
        --benchmark-columns=min,median,rounds
"""
import math

import numpy as np
import pytest

import infobits as ib
from infobits.bench import kl_knn_ckdtree
from infobits.estimate import differential_entropy, kl_divergence, mutual_information

stats = pytest.importorskip("scipy.stats")
fs = pytest.importorskip("sklearn.feature_selection")

LN2 = math.log(2.0)


@pytest.fixture
def one_thread():
    old = ib.get_num_threads()
    ib.set_num_threads(1)
    yield
    ib.set_num_threads(old)


@pytest.fixture(scope="module")
def normal_1e5():
    return np.random.default_rng(5).standard_normal(10**5)


@pytest.fixture(scope="module")
def pairs_1e4():
    rng = np.random.default_rng(6)
    x = rng.standard_normal(10**4)
    return x, 0.6 * x + 0.8 * rng.standard_normal(10**4)


@pytest.fixture(scope="module")
def kl_1e6():
    rng = np.random.default_rng(7)
    return rng.standard_normal(10**6), rng.normal(1.0, 1.0, 10**6)


def test_vasicek_infobits(benchmark, normal_1e5, one_thread):
    benchmark.group = "differential_entropy vasicek 1e5"
    r = benchmark(differential_entropy, normal_1e5, method="vasicek", base="nats")
    assert math.isclose(r, stats.differential_entropy(normal_1e5, method="vasicek"),
                        rel_tol=1e-10)


def test_vasicek_scipy(benchmark, normal_1e5):
    benchmark.group = "differential_entropy vasicek 1e5"
    benchmark(stats.differential_entropy, normal_1e5, method="vasicek")


def test_ksg_infobits(benchmark, pairs_1e4, one_thread):
    benchmark.group = "KSG 1e4 pairs k=3"
    x, y = pairs_1e4
    r = benchmark(mutual_information, x, y, method="ksg", k=3, base="nats")
    want = fs.mutual_info_regression(x[:, None], y, n_neighbors=3, random_state=0)[0]
    assert abs(r - want) < 3 / x.size


def test_ksg_sklearn(benchmark, pairs_1e4):
    benchmark.group = "KSG 1e4 pairs k=3"
    x, y = pairs_1e4
    benchmark(fs.mutual_info_regression, x[:, None], y, n_neighbors=3, random_state=0)


def test_kl_samples_infobits(benchmark, kl_1e6, one_thread):
    benchmark.group = "kl_divergence samples 1-D 1e6 k=1"
    r = benchmark(kl_divergence, *kl_1e6, k=1)
    assert abs(r - 0.5 / LN2) < 0.05


def test_kl_samples_ckdtree(benchmark, kl_1e6):
    benchmark.group = "kl_divergence samples 1-D 1e6 k=1"
    benchmark.pedantic(kl_knn_ckdtree, args=kl_1e6, kwargs={"k": 1}, rounds=3, iterations=1)
