"""Benchmarks for infobits' numerics and binary losses against SciPy and PyTorch.

Run:  python3 -m pytest benchmarks/bench_numerics.py --benchmark-only

Groups put infobits next to its peers on the same data in one run:
``logsumexp-1e7-1thread`` (infobits, torch limited to one thread; SciPy is
single-threaded anyway), ``logsumexp-1e7-threads`` (default thread counts),
``logsumexp-rows`` ((10^5, 100) along the last axis), ``softmax-rows`` and
``bce-logits-1e7``.  Issue goals for logsumexp at 10^7: >= 5x SciPy and
>= 1.5x torch.
"""
import numpy as np
import pytest
import scipy.special as sp

import infobits as ib

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # torch is optional
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch not installed")

N = 10**7
RNG = np.random.default_rng(0)
X = RNG.standard_normal(N)
ROWS = X.reshape(-1, 100)
Y = (RNG.uniform(size=N) < 0.5).astype(np.float64)


@pytest.fixture
def one_thread():
    old_ib = ib.get_num_threads()
    old_t = torch.get_num_threads() if torch is not None else None
    ib.set_num_threads(1)
    if torch is not None:
        torch.set_num_threads(1)
    yield
    ib.set_num_threads(old_ib)
    if torch is not None:
        torch.set_num_threads(old_t)


def _rounds(benchmark, fn):
    return benchmark.pedantic(fn, rounds=7, iterations=1, warmup_rounds=1)


# -------------------------------------------------- logsumexp, 1 thread --

def test_lse_1t_infobits(benchmark, one_thread):
    benchmark.group = "logsumexp-1e7-1thread"
    r = _rounds(benchmark, lambda: ib.logsumexp(X))
    assert np.isclose(r, sp.logsumexp(X), rtol=1e-13)


def test_lse_1t_scipy(benchmark, one_thread):
    benchmark.group = "logsumexp-1e7-1thread"
    _rounds(benchmark, lambda: sp.logsumexp(X))


@needs_torch
def test_lse_1t_torch(benchmark, one_thread):
    benchmark.group = "logsumexp-1e7-1thread"
    t = torch.from_numpy(X)
    _rounds(benchmark, lambda: torch.logsumexp(t, 0))


# ---------------------------------------------- logsumexp, all threads --

def test_lse_mt_infobits(benchmark):
    benchmark.group = "logsumexp-1e7-threads"
    _rounds(benchmark, lambda: ib.logsumexp(X))


def test_lse_mt_scipy(benchmark):
    benchmark.group = "logsumexp-1e7-threads"
    _rounds(benchmark, lambda: sp.logsumexp(X))


@needs_torch
def test_lse_mt_torch(benchmark):
    benchmark.group = "logsumexp-1e7-threads"
    t = torch.from_numpy(X)
    _rounds(benchmark, lambda: torch.logsumexp(t, 0))


# ------------------------------------------------------ rows (N, 100) --

def test_lse_rows_infobits(benchmark):
    benchmark.group = "logsumexp-rows"
    _rounds(benchmark, lambda: ib.logsumexp(ROWS, axis=1))


def test_lse_rows_scipy(benchmark):
    benchmark.group = "logsumexp-rows"
    _rounds(benchmark, lambda: sp.logsumexp(ROWS, axis=1))


@needs_torch
def test_lse_rows_torch(benchmark):
    benchmark.group = "logsumexp-rows"
    t = torch.from_numpy(ROWS)
    _rounds(benchmark, lambda: torch.logsumexp(t, 1))


def test_softmax_rows_infobits(benchmark):
    benchmark.group = "softmax-rows"
    _rounds(benchmark, lambda: ib.softmax(ROWS))


def test_softmax_rows_scipy(benchmark):
    benchmark.group = "softmax-rows"
    _rounds(benchmark, lambda: sp.softmax(ROWS, axis=1))


@needs_torch
def test_softmax_rows_torch(benchmark):
    benchmark.group = "softmax-rows"
    t = torch.from_numpy(ROWS)
    _rounds(benchmark, lambda: torch.softmax(t, 1))


# ------------------------------------------------------------- BCE --

def test_bce_infobits(benchmark):
    benchmark.group = "bce-logits-1e7"
    _rounds(benchmark, lambda: ib.binary_cross_entropy(X, Y, from_logits=True))


def test_bce_infobits_grad(benchmark):
    benchmark.group = "bce-logits-1e7"
    _rounds(benchmark, lambda: ib.binary_cross_entropy(X, Y, from_logits=True,
                                                       return_grad=True))


@needs_torch
def test_bce_torch(benchmark):
    benchmark.group = "bce-logits-1e7"
    t, ty = torch.from_numpy(X), torch.from_numpy(Y)
    _rounds(benchmark, lambda: F.binary_cross_entropy_with_logits(t, ty))


# ------------------------------------- softmax (10^4, 1000), 1 thread --
# Issue goals: float64 >= 1.5x torch.softmax and >= 3x scipy.special.softmax;
# float32 >= 1.5x torch.softmax float32.

SM = RNG.standard_normal((10**4, 1000))
SM32 = SM.astype(np.float32)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_softmax_1t_infobits(benchmark, one_thread, dtype):
    benchmark.group = f"softmax-(1e4,1000)-{dtype}-1thread"
    x = SM if dtype == "float64" else SM32
    _rounds(benchmark, lambda: ib.softmax(x))


@needs_torch
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_softmax_1t_torch(benchmark, one_thread, dtype):
    benchmark.group = f"softmax-(1e4,1000)-{dtype}-1thread"
    t = torch.from_numpy(SM if dtype == "float64" else SM32)
    _rounds(benchmark, lambda: torch.softmax(t, -1))


def test_softmax_1t_scipy(benchmark, one_thread):
    benchmark.group = "softmax-(1e4,1000)-float64-1thread"
    _rounds(benchmark, lambda: sp.softmax(SM, axis=-1))


def test_log_softmax_1t_infobits_f32(benchmark, one_thread):
    benchmark.group = "log_softmax-(1e4,1000)-float32-1thread"
    _rounds(benchmark, lambda: ib.log_softmax(SM32))


@needs_torch
def test_log_softmax_1t_torch_f32(benchmark, one_thread):
    benchmark.group = "log_softmax-(1e4,1000)-float32-1thread"
    t = torch.from_numpy(SM32)
    _rounds(benchmark, lambda: torch.log_softmax(t, -1))


# ------------------------- float32 logsumexp 10^7 vs our own float64 --
# Issue goal: float32 >= 1.6x our float64 time on the same values.

X32 = X.astype(np.float32)
X32_AS64 = X32.astype(np.float64)


def test_lse_1t_infobits_f32(benchmark, one_thread):
    benchmark.group = "logsumexp-1e7-float32-vs-float64-1thread"
    _rounds(benchmark, lambda: ib.logsumexp(X32))


def test_lse_1t_infobits_f64_same_values(benchmark, one_thread):
    benchmark.group = "logsumexp-1e7-float32-vs-float64-1thread"
    _rounds(benchmark, lambda: ib.logsumexp(X32_AS64))
