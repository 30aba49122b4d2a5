"""SciPy's softplus tests (scipy/special/tests/test_basic.py, class
TestSoftplus, SciPy 1.17), run against infobits.log1pexp through a one-line
shim: ``softplus = infobits.log1pexp``.  The reference values are SciPy's
(mpmath at 100 digits); the keyword test checks out= and where=."""
import numpy as np
from numpy.testing import assert_allclose

import infobits

softplus = infobits.log1pexp


class TestSoftplus:
    def test_softplus(self):
        rng = np.random.default_rng(3298432985245)
        n = 3
        a1 = rng.uniform(-100, -37, size=n)
        a2 = rng.uniform(-37, 18, size=n)
        a3 = rng.uniform(18, 33.3, size=n)
        a4 = rng.uniform(33.33, 100, size=n)
        a = np.stack([a1, a2, a3, a4])
        ref = [[1.692721323272333e-42, 7.42673911145206e-41, 8.504608846033205e-35],
               [1.8425343736349797, 9.488245799395577e-15, 7.225195764021444e-08],
               [31.253760266045106, 27.758244090327832, 29.995959179643634],
               [73.26040086468937, 76.24944728617226, 37.83955519155184]]
        res = softplus(a)
        assert_allclose(res, ref, rtol=2e-15)

    def test_softplus_with_kwargs(self):
        x = np.arange(5) - 2
        out = np.ones(5)
        ref = out.copy()
        where = x > 0

        softplus(x, out=out, where=where)
        ref[where] = softplus(x[where])
        assert_allclose(out, ref)
        # (not in SciPy's test: the masked-out entries are untouched)
        assert np.all(out[~where] == 1.0)
