"""The sum-to-one check's promise at full size: ``p = c / c.sum()`` computed
in the input's own dtype never warns, for n = 10^8 (float32 and float64;
about 1.2 GB at the peak).  ``-m reliability`` (CI step 8); the default
suite checks n up to 10^6 (tests/unit/test_probability_inputs.py)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import infobits as ib


@pytest.mark.reliability
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_normalised_counts_of_1e8_never_warn(dtype):
    rng = np.random.default_rng(0)
    c = rng.integers(1, 1000, 10**8).astype(dtype)
    p = c / c.sum()
    del c
    assert p.dtype == dtype
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = ib.entropy(p)
    # the reference: the entropy of the same values by NumPy in float64
    p64 = p.astype(np.float64)
    want = -np.dot(p64, np.log2(p64))
    assert h == pytest.approx(want, rel=1e-6 if dtype == np.float32 else 1e-12)
