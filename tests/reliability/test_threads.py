"""Reliability battery, part 7: threads.

* Eight Python threads call every kernel family on the same (shared,
  read-only) inputs many times at once; every result is bitwise identical to
  the single-threaded result (the kernels release the GIL, so the calls
  really overlap).
* Every kernel family gives bitwise identical results with 1 and 2 OpenMP
  threads, on inputs above the parallel threshold (64K elements).
"""
from __future__ import annotations

import threading

import numpy as np
import pytest

import infobits as ib
import infobits.estimate as est

rng = np.random.default_rng(7)
N = 300_000                                   # above the 64K parallel threshold
P = rng.random(N)
Q = rng.random(N)
X2 = rng.normal(size=(3000, 100))
LAB = rng.integers(0, 100, 3000)
PXY = rng.random((600, 500))
P32 = P.astype(np.float32)
X32 = X2.astype(np.float32)
S = rng.normal(size=2000)
T = 0.5 * S + rng.normal(size=2000)
for a in (P, Q, X2, LAB, PXY, P32, X32, S, T):
    a.flags.writeable = False

CALLS = {
    "entropy": lambda: ib.entropy(P),
    "entropy_f32": lambda: ib.entropy(P32),
    "entropy_axis": lambda: ib.entropy(X2 ** 2, axis=1, nan_policy="omit"),
    "kl": lambda: ib.kl_divergence(P, Q),
    "js": lambda: ib.jensen_shannon_divergence(P, Q),
    "mi": lambda: ib.mutual_information(PXY),
    "cond_entropy": lambda: ib.conditional_entropy(PXY),
    "logsumexp": lambda: ib.logsumexp(X2),
    "logsumexp_axis": lambda: ib.logsumexp(X2, axis=1),
    "softmax": lambda: ib.softmax(X2),
    "log_softmax_f32": lambda: ib.log_softmax(X32),
    "log1pexp": lambda: ib.log1pexp(X2),
    "ce_logits_grad": lambda: ib.cross_entropy(X2, LAB, from_logits=True, return_grad=True),
    "ce_logits_f32": lambda: ib.cross_entropy(X32, LAB, from_logits=True, reduction="none"),
    "focal": lambda: ib.focal_loss(X2, LAB, return_grad=True),
    "bce_logits": lambda: ib.binary_cross_entropy(X2, X2 > 0, from_logits=True, return_grad=True),
    "ksg": lambda: est.mutual_information(S, T, method="ksg"),
    "diff_entropy": lambda: est.differential_entropy(S),
}


def _bits(r):
    if isinstance(r, tuple):
        return b"".join(_bits(t) for t in r)
    return np.ascontiguousarray(np.asarray(r)).tobytes()


def test_eight_python_threads_bitwise():
    want = {k: _bits(f()) for k, f in CALLS.items()}
    errors, mismatches = [], []
    barrier = threading.Barrier(8)

    def work(tid):
        try:
            barrier.wait()
            names = list(CALLS)
            for rep in range(4):
                for i in range(len(names)):
                    k = names[(i + tid + rep) % len(names)]
                    if _bits(CALLS[k]()) != want[k]:
                        mismatches.append((tid, k))
        except Exception as e:                 # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert not mismatches, mismatches


@pytest.mark.parametrize("name", list(CALLS))
def test_one_vs_two_openmp_threads(name):
    from infobits import _core
    if not _core._openmp_enabled():
        pytest.skip("built without OpenMP")
    prev = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        one = _bits(CALLS[name]())
        ib.set_num_threads(2)
        assert ib.get_num_threads() == 2
        two = _bits(CALLS[name]())
    finally:
        ib.set_num_threads(prev)
    assert one == two
