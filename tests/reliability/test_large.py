"""Reliability battery, part 8: one row of more than 2^31 elements (opt-in).

    python -m pytest -m large tests/reliability/test_large.py

A float32 memmap of a sparse file of n = 2^31 + 2^20 elements (about
8.6 GB of address space, almost no disk: all zeros but a handful of entries
placed on both sides of 2^31 and at the very end).  The entropy, KL
divergence, logsumexp and cross-entropy of that single row must come out
right, which they cannot if any index, stride product or count is 32-bit
anywhere on the way.  Needs about 9 GB of free space in the temporary
directory (sparse: a few pages are really written) and reads the file a few
times (about two minutes here).
"""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

import infobits as ib

pytestmark = pytest.mark.large

N = 2 ** 31 + 2 ** 20
HOT = [0, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 5, N - 1]


@pytest.fixture(scope="module")
def row(tmp_path_factory):
    d = tmp_path_factory.mktemp("large")
    if shutil.disk_usage(d).free < 10 * 2 ** 30:
        pytest.skip("needs about 10 GiB of free space for the sparse file's address range")
    path = d / "row.f32"
    with open(path, "wb") as fh:
        fh.truncate(N * 4)                       # sparse: zeros, no blocks
    mm = np.memmap(path, dtype=np.float32, mode="r+", shape=(N,))
    yield mm, path
    del mm
    path.unlink()


def test_entropy_and_kl_of_a_long_row(row):
    mm, _ = row
    mm[HOT[1:]] = 0.25                           # four entries of 1/4 past and around 2^31
    mm[HOT[0]] = 0.0
    mm.flush()
    ro = np.memmap(row[1], dtype=np.float32, mode="r", shape=(N,))
    assert ib.entropy(ro) == 2.0                 # -4 * 1/4 log2(1/4), exactly
    assert ib.entropy(ro, base="nats") == pytest.approx(2 * math.log(2), rel=1e-15)
    # KL against itself shifted by nothing: 0, every term p log(p/p)
    assert ib.kl_divergence(ro, ro) == 0.0
    assert ib.entropy(ro.reshape(1, N), axis=1)[0] == 2.0


def test_logsumexp_and_cross_entropy_of_a_long_row(row):
    mm, path = row
    mm[HOT] = 0.0
    mm[HOT[2:]] = 10.0                            # 3 entries of 10 at and past 2^31
    mm.flush()
    ro = np.memmap(path, dtype=np.float32, mode="r", shape=(N,))
    want = math.log((N - 3) + 3 * math.exp(10.0))
    got = float(ib.logsumexp(ro))
    assert got == pytest.approx(want, rel=1e-6)   # float32 result (1 float32 ulp ~ 6e-8)
    # one sample with 2^31 + 2^20 classes, label past 2^31
    loss = float(ib.cross_entropy(ro.reshape(1, N), np.array([N - 1]), from_logits=True))
    assert loss == pytest.approx(want - 10.0, rel=1e-6)
    loss0 = float(ib.cross_entropy(ro.reshape(1, N), np.array([5]), from_logits=True))
    assert loss0 == pytest.approx(want, rel=1e-6)
