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
    # the reference: the entropy of the same values by NumPy in long double
    # (80-bit on x86-64; chunks of 10^7 terms summed pairwise, then added):
    # a float64 np.dot over 10^8 terms is itself ~1e-12 off
    want = np.longdouble(0)
    for i in range(0, p.size, 10**7):
        q = p[i:i + 10**7].astype(np.longdouble)
        want -= np.sum(q * np.log2(q))
    want = float(want)
    assert h == pytest.approx(want, rel=1e-6 if dtype == np.float32 else 1e-12)
