"""Reliability battery, part 6b: leaks.

10^4 calls over every kernel family, a third of them on error paths
(ValueError under nan_policy="raise", IndexError for labels, TypeError for
complex input, shape errors), after a warm-up: the growth of the memory
traced by tracemalloc (NumPy registers its data buffers with it) and of the
process's resident set size (Linux /proc) both stay under 64 KiB.
"""
from __future__ import annotations

import gc
import os
import sys
import tracemalloc

import numpy as np
import pytest

import infobits as ib
import infobits.estimate as est

LIMIT = 64 * 1024
rng = np.random.default_rng(3)
P = rng.random(300)
Q = rng.random(300)
X = rng.normal(size=(40, 7))
Y = rng.integers(0, 7, 40)
PXY = rng.random((12, 9))
BADY = Y.copy()
BADY[5] = 7
S = rng.normal(size=200)
T = S + rng.normal(size=200)


def _calls():
    ok = [
        lambda: ib.entropy(P),
        lambda: ib.entropy(X ** 2, axis=1, nan_policy="omit"),
        lambda: ib.kl_divergence(P, Q),
        lambda: ib.jensen_shannon_divergence(P, Q),
        lambda: ib.mutual_information(PXY),
        lambda: ib.conditional_entropy(PXY),
        lambda: ib.pointwise_mutual_information(PXY),
        lambda: ib.self_information(P),
        lambda: ib.logsumexp(X, axis=1, b=0.5, return_sign=True),
        lambda: ib.softmax(X),
        lambda: ib.log_softmax(X.astype(np.float32)),
        lambda: ib.log1pexp(X),
        lambda: ib.log_sigmoid(X),
        lambda: ib.cross_entropy(X, Y, from_logits=True, return_grad=True),
        lambda: ib.nll_loss(X, Y, reduction="none"),
        lambda: ib.focal_loss(X, Y, return_grad=True),
        lambda: ib.binary_cross_entropy(X, X > 0, from_logits=True, return_grad=True),
        lambda: ib.binary_focal_loss(X, X > 0),
        lambda: ib.perplexity(X, Y, from_logits=True),
        lambda: est.differential_entropy(S),
    ]
    bad = [
        lambda: ib.entropy(np.r_[P, np.nan], nan_policy="raise"),
        lambda: ib.kl_divergence(P, -Q, nan_policy="raise"),
        lambda: ib.cross_entropy(X, BADY, from_logits=True, return_grad=True),
        lambda: ib.nll_loss(X, BADY),
        lambda: ib.focal_loss(X, BADY),
        lambda: ib.entropy(P.astype(complex)),
        lambda: ib.softmax(X, axis=5),
        lambda: ib.mutual_information(P),
        lambda: ib.binary_cross_entropy(P * 2, P),
        lambda: ib.logsumexp(X, b=np.ones(3)),
        lambda: est.mutual_information(np.r_[S, np.nan], np.r_[T, 0.0], method="ksg"),
    ]
    return ok, bad


def _one_round(ok, bad, n):
    count = 0
    i = 0
    while count < n:
        f = ok[i % len(ok)] if i % 3 else bad[(i // 3) % len(bad)]
        try:
            f()
        except (ValueError, TypeError, IndexError):
            pass
        count += 1
        i += 1
    return count


def _rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


FIGURES = {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_no_growth_over_ten_thousand_calls():
    ok, bad = _calls()
    _one_round(ok, bad, 10_000)               # warm-up: caches, lazy imports, allocator pools
    # RSS without tracemalloc (whose own trace tables live outside the traced heap)
    gc.collect()
    r0 = _rss()
    n = _one_round(ok, bad, 10_000)
    gc.collect()
    r1 = _rss()
    # the traced Python/NumPy heap
    tracemalloc.start()
    try:
        _one_round(ok, bad, 3000)
        gc.collect()
        t0, _ = tracemalloc.get_traced_memory()
        m = _one_round(ok, bad, 10_000)
        gc.collect()
        t1, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    FIGURES.update(calls=n + m, tracemalloc_growth=t1 - t0, rss_growth=r1 - r0)
    print(f"leak test: {n} calls RSS growth {r1 - r0} B; {m} calls tracemalloc growth {t1 - t0} B")
    assert n == m == 10_000
    assert t1 - t0 < LIMIT, f"tracemalloc grew by {t1 - t0} bytes over {m} calls"
    assert r1 - r0 < LIMIT, f"RSS grew by {r1 - r0} bytes over {n} calls"
