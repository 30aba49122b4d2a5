"""KSG mutual information and conditional mutual information against JIDT.

With ``jitter=0`` and ``standardize=False`` infobits sees the same data as
JIDT with ``NOISE_LEVEL_TO_ADD=0`` and ``NORMALISE=false``; the estimates
and the local values must agree to 1e-9 nats (n <= 5000, where JIDT's
digamma is exact to ~1e-12; infobits' is exact), for algorithms 1 and 2, x,
y and z of several dimensions, k, and Theiler windows (JIDT's
``DYN_CORR_EXCL``).
"""
import _jidt
import numpy as np
import pytest

from infobits.estimate import conditional_mutual_information, mutual_information

_jidt.require()

TOL = 1e-9


def _data(seed, n, dims, kind="gauss"):
    """Coupled samples: each variable depends on the previous one."""
    rng = np.random.default_rng(seed)
    out = []
    prev = None
    for d in dims:
        if kind == "gauss":
            v = rng.standard_normal((n, d))
        elif kind == "uniform":
            v = rng.random((n, d)) * 3.0 - 1.0
        else:  # heavy-tailed, different scales per column
            v = rng.standard_t(3, (n, d)) * np.geomspace(0.1, 10.0, d)
        if prev is not None:
            v = v + 0.7 * prev[:, :1]
        out.append(v)
        prev = v
    return out


def _ours_mi(x, y, **kw):
    opts = dict(method="ksg", base="nats", jitter=0, standardize=False, **kw)
    return (mutual_information(x, y, **opts),
            mutual_information(x, y, local=True, **opts))


def _ours_cmi(x, y, z, **kw):
    opts = dict(method="ksg", base="nats", jitter=0, standardize=False, **kw)
    return (conditional_mutual_information(x, y, z, **opts),
            conditional_mutual_information(x, y, z, local=True, **opts))


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("dims,n,kind", [
    ((1, 1), 2000, "gauss"), ((3, 3), 1000, "gauss"), ((2, 1), 5000, "uniform"),
    ((1, 4), 800, "heavy"),
])
@pytest.mark.parametrize("k,theiler", [(3, 0), (4, 5)])
def test_ksg_mi_equals_jidt(algorithm, dims, n, kind, k, theiler):
    x, y = _data(11 + n + dims[0], n, dims, kind)
    want, want_loc = _jidt.mi_kraskov(x, y, algorithm=algorithm, k=k, theiler=theiler)
    got, loc = _ours_mi(x, y, k=k, theiler=theiler, algorithm=algorithm)
    assert abs(got - want) < TOL
    assert loc.shape == (n,)
    np.testing.assert_allclose(loc, want_loc, rtol=0, atol=TOL)
    assert abs(np.mean(loc) - got) < 1e-12


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("dims,n,kind", [
    ((1, 1, 1), 3000, "gauss"), ((2, 1, 3), 1000, "gauss"), ((1, 2, 2), 2000, "uniform"),
    ((1, 1, 1), 5000, "heavy"), ((3, 2, 1), 700, "heavy"),
])
@pytest.mark.parametrize("k,theiler", [(4, 0), (2, 3), (7, 0)])
def test_ksg_cmi_equals_jidt(algorithm, dims, n, kind, k, theiler):
    x, y, z = _data(29 + n + sum(dims), n, dims, kind)
    want, want_loc = _jidt.cmi_kraskov(x, y, z, algorithm=algorithm, k=k, theiler=theiler)
    got, loc = _ours_cmi(x, y, z, k=k, theiler=theiler, algorithm=algorithm)
    assert abs(got - want) < TOL
    np.testing.assert_allclose(loc, want_loc, rtol=0, atol=TOL)
    assert abs(np.mean(loc) - got) < 1e-12


def test_ksg_cmi_equals_jidt_time_series():
    # an autoregressive pair: neighbours in time are close in space, so the
    # Theiler window changes the estimate; it must change ours the same way
    rng = np.random.default_rng(5)
    n = 3000
    e = rng.standard_normal((n, 2))
    s = np.zeros((n, 2))
    for t in range(1, n):
        s[t, 0] = 0.9 * s[t - 1, 0] + e[t, 0]
        s[t, 1] = 0.5 * s[t - 1, 1] + 0.6 * s[t - 1, 0] + e[t, 1]
    x, y, z = s[:-1, 0], s[1:, 1], s[:-1, 1]   # source past, target next, target past
    vals = []
    for theiler in (0, 10, 50):
        for algorithm in (1, 2):
            want, want_loc = _jidt.cmi_kraskov(x, y, z, algorithm=algorithm, k=4,
                                               theiler=theiler)
            got, loc = _ours_cmi(x, y, z, k=4, theiler=theiler, algorithm=algorithm)
            assert abs(got - want) < TOL
            np.testing.assert_allclose(loc, want_loc, rtol=0, atol=TOL)
            vals.append(got)
    assert len(set(vals)) == len(vals)   # the window does matter here
