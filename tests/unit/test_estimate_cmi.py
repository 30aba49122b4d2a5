"""KSG conditional mutual information (Frenzel-Pompe, algorithms 1 and 2)
and the shared k-NN keywords (algorithm, theiler, jitter, local, metric) of
KSG mutual information.

References: a brute-force NumPy implementation of the estimators written
from the papers' definitions (full distance matrices, scipy.special.digamma),
the closed form of Gaussian conditional MI (from the model's covariance),
and the discrete estimator for the discrete path.  The statistical
tolerances are |bias| + 4 sd of the estimator, measured over 100 seeds
beforehand (figures next to each test); the data use fixed seeds.  JIDT
agreement is in tests/peers/test_jidt_ksg.py (marker peers).
"""
import doctest
import math

import numpy as np
import pytest
from scipy.special import digamma

import infobits as ib
import infobits.estimate
from infobits.estimate import _dispatch, conditional_mutual_information, mutual_information

LN2 = math.log(2.0)


def _dist(a, metric="chebyshev"):
    diff = np.abs(a[:, None, :] - a[None, :, :])
    return diff.max(-1) if metric == "chebyshev" else np.sqrt((diff ** 2).sum(-1))


def _brute_cmi(x, y, z, k, algorithm, theiler=0, metric="chebyshev"):
    """Local KSG CMI values from full distance matrices (nats)."""
    x, y, z = (np.asarray(v, float).reshape(len(v), -1) for v in (x, y, z))
    n = len(x)
    Dx, Dy, Dz = _dist(x, metric), _dist(y, metric), _dist(z, metric)
    D = np.maximum(np.maximum(Dx, Dy), Dz)
    t = np.arange(n)
    W = np.abs(t[:, None] - t[None, :]) <= theiler
    D = np.where(W, np.inf, D)
    order = np.argsort(D, axis=1, kind="stable")[:, :k]
    if algorithm == 1:
        eps = np.take_along_axis(D, order[:, -1:], 1)
        nxz = ((np.maximum(Dx, Dz) < eps) & ~W).sum(1)
        nyz = ((np.maximum(Dy, Dz) < eps) & ~W).sum(1)
        nz = ((Dz < eps) & ~W).sum(1)
        return digamma(k) - digamma(nxz + 1) - digamma(nyz + 1) + digamma(nz + 1)
    ex = np.take_along_axis(Dx, order, 1).max(1)[:, None]
    ey = np.take_along_axis(Dy, order, 1).max(1)[:, None]
    ez = np.take_along_axis(Dz, order, 1).max(1)[:, None]
    inz = (Dz <= ez) & ~W
    nxz = (inz & (Dx <= ex)).sum(1)
    nyz = (inz & (Dy <= ey)).sum(1)
    nz = inz.sum(1)
    return (digamma(k) - 2.0 / k + digamma(nz) - digamma(nxz) - digamma(nyz)
            + 1.0 / nxz + 1.0 / nyz)


def _brute_mi(x, y, k, algorithm, theiler=0):
    x, y = (np.asarray(v, float).reshape(len(v), -1) for v in (x, y))
    n = len(x)
    Dx, Dy = _dist(x), _dist(y)
    t = np.arange(n)
    W = np.abs(t[:, None] - t[None, :]) <= theiler
    D = np.where(W, np.inf, np.maximum(Dx, Dy))
    order = np.argsort(D, axis=1, kind="stable")[:, :k]
    if algorithm == 1:
        eps = np.take_along_axis(D, order[:, -1:], 1)
        nx = ((Dx < eps) & ~W).sum(1)
        ny = ((Dy < eps) & ~W).sum(1)
        return digamma(k) + digamma(n) - digamma(nx + 1) - digamma(ny + 1)
    ex = np.take_along_axis(Dx, order, 1).max(1)[:, None]
    ey = np.take_along_axis(Dy, order, 1).max(1)[:, None]
    nx = ((Dx <= ex) & ~W).sum(1)
    ny = ((Dy <= ey) & ~W).sum(1)
    return digamma(k) - 1.0 / k + digamma(n) - digamma(nx) - digamma(ny)


def _raw(**kw):
    return dict(method="ksg", base="nats", jitter=0, standardize=False, **kw)


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("dims", [(1, 1, 1), (2, 1, 3), (1, 3, 1)])
@pytest.mark.parametrize("theiler", [0, 2])
def test_cmi_equals_brute_force(algorithm, dims, theiler):
    rng = np.random.default_rng(sum(dims) + 10 * algorithm + theiler)
    n = 300
    z = rng.standard_normal((n, dims[2]))
    x = rng.standard_normal((n, dims[0])) + z[:, :1]
    y = rng.exponential(size=(n, dims[1])) + x[:, :1] - z[:, -1:]
    for k in (1, 4):
        want = _brute_cmi(x, y, z, k, algorithm, theiler)
        loc = conditional_mutual_information(x, y, z, k=k, algorithm=algorithm,
                                             theiler=theiler, local=True, **_raw())
        np.testing.assert_allclose(loc, want, rtol=0, atol=1e-12)
        got = conditional_mutual_information(x, y, z, k=k, algorithm=algorithm,
                                             theiler=theiler, **_raw())
        assert isinstance(got, np.float64)
        np.testing.assert_allclose(got, want.mean(), rtol=0, atol=1e-12)


def test_cmi_euclidean_metric_equals_brute_force():
    rng = np.random.default_rng(3)
    x, y, z = rng.standard_normal((3, 250, 2))
    y = y + x
    for algorithm in (1, 2):
        want = _brute_cmi(x, y, z, 3, algorithm, metric="euclidean")
        got = conditional_mutual_information(x, y, z, k=3, algorithm=algorithm,
                                             metric="euclidean", local=True, **_raw())
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("theiler", [0, 3])
def test_mi_algorithms_and_theiler_equal_brute_force(algorithm, theiler):
    rng = np.random.default_rng(40 + algorithm + theiler)
    x = rng.standard_normal((300, 2))
    y = x[:, :1] ** 2 + rng.standard_normal((300, 1))
    for k in (1, 3):
        want = _brute_mi(x, y, k, algorithm, theiler)
        got = mutual_information(x, y, k=k, algorithm=algorithm, theiler=theiler,
                                 local=True, **_raw())
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    # 1-D x and y: the grid search (algorithm 1, no window) or the engine
    x1, y1 = x[:, 0], y[:, 0]
    want = _brute_mi(x1, y1, 3, algorithm, theiler)
    got = mutual_information(x1, y1, k=3, algorithm=algorithm, theiler=theiler, local=True,
                             **_raw())
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def _gauss_cmi(cov, ix, iy, iz):
    """I(X; Y | Z) of a normal vector with covariance cov (nats)."""
    def ld(idx):
        return np.linalg.slogdet(cov[np.ix_(idx, idx)])[1]
    return 0.5 * (ld(ix + iz) + ld(iy + iz) - ld(iz) - ld(ix + iy + iz))


def _model(A, noise):
    """Covariance of v = A v + noise, for a lower-triangular A (the
    generative model below, solved for v)."""
    m = np.linalg.inv(np.eye(len(A)) - A)
    return m @ np.diag(noise) @ m.T


# Case 1: z ~ N(0, 1); x = z + 0.5 e1; y = 0.8 z + 0.6 x + 0.5 e2 (1-D each).
# Truth 0.15374 nats.  Measured over 100 seeds (n = 5000, k = 4):
# algorithm 1 mean 0.15468, sd 0.01093; algorithm 2 mean 0.17561, sd 0.01173.
# Case 2: z = (z0, z1) ~ N(0, I); x = (z0 + 0.7 e, e'); y = 0.5 z1 + 0.5 x0 +
# 0.3 x1 + 0.6 e''.  Truth 0.23199 nats.  Measured over 100 seeds (n = 3000):
# algorithm 1 mean 0.21368, sd 0.01543; algorithm 2 mean 0.24274, sd 0.01680.
# Tolerances: |bias| + 4 sd.
@pytest.mark.parametrize("case,algorithm,tol", [(1, 1, 0.045), (1, 2, 0.069),
                                                (2, 1, 0.080), (2, 2, 0.078)])
def test_cmi_gaussian_closed_form(case, algorithm, tol):
    rng = np.random.default_rng(10000 + 7 * case + algorithm)
    if case == 1:
        n = 5000
        z = rng.standard_normal(n)
        x = z + 0.5 * rng.standard_normal(n)
        y = 0.8 * z + 0.6 * x + 0.5 * rng.standard_normal(n)
        # order (z, x, y): x = z + e1, y = 0.8 z + 0.6 x + e2
        A = np.array([[0, 0, 0], [1, 0, 0], [0.8, 0.6, 0]])
        cov = _model(A, [1.0, 0.25, 0.25])
        truth = _gauss_cmi(cov, [1], [2], [0])
    else:
        n = 3000
        z = rng.standard_normal((n, 2))
        x = np.c_[z[:, 0] + 0.7 * rng.standard_normal(n), rng.standard_normal(n)]
        y = 0.5 * z[:, 1] + 0.5 * x[:, 0] + 0.3 * x[:, 1] + 0.6 * rng.standard_normal(n)
        # order (z0, z1, x0, x1, y)
        A = np.zeros((5, 5))
        A[2, 0] = 1.0
        A[4, 1], A[4, 2], A[4, 3] = 0.5, 0.5, 0.3
        cov = _model(A, [1.0, 1.0, 0.49, 1.0, 0.36])
        truth = _gauss_cmi(cov, [2, 3], [4], [0, 1])
    assert abs(truth - (0.15374 if case == 1 else 0.23199)) < 1e-4
    got = conditional_mutual_information(x, y, z, method="ksg", algorithm=algorithm,
                                         base="nats")
    assert abs(got - truth) < tol
    # bits, and the local values average to the estimate
    np.testing.assert_allclose(
        conditional_mutual_information(x, y, z, method="ksg", algorithm=algorithm),
        got / LN2, rtol=1e-12)
    loc = conditional_mutual_information(x, y, z, method="ksg", algorithm=algorithm,
                                         base="nats", local=True)
    assert loc.shape == (n,)
    np.testing.assert_allclose(loc.mean(), got, rtol=0, atol=1e-13)


def test_cmi_options_scaling_reproducibility_threads():
    rng = np.random.default_rng(7)
    n = 20_000
    z = rng.standard_normal(n)
    x = z + rng.standard_normal(n)
    y = x * z + rng.standard_normal(n)
    a = conditional_mutual_information(x, y, z, method="ksg")
    # standardize (default): invariant to rescaling each variable
    np.testing.assert_allclose(
        conditional_mutual_information(1e3 * x, -1e-2 * y, 7 * z, method="ksg"), a, rtol=1e-9)
    assert conditional_mutual_information(x, y, z, method="ksg") == a
    assert (conditional_mutual_information(x, y, z, method="ksg", random_state=3)
            == conditional_mutual_information(x, y, z, method="ksg",
                                              random_state=np.random.default_rng(3)))
    # jitter moves the value only at near-ties: tiny against the estimate
    b = conditional_mutual_information(x, y, z, method="ksg", jitter=0)
    assert abs(a - b) < 20 / n
    # k default 4
    assert conditional_mutual_information(x, y, z, method="ksg", k=4) == a
    assert conditional_mutual_information(x, y, z, method="ksg", k=5) != a
    old = ib.get_num_threads()
    try:
        res = []
        for t in (1, 2):
            ib.set_num_threads(t)
            for alg in (1, 2):
                res.append(conditional_mutual_information(x, y, z, method="ksg",
                                                          algorithm=alg, theiler=2,
                                                          local=True).tobytes())
    finally:
        ib.set_num_threads(old)
    assert res[0] == res[2] and res[1] == res[3]


def test_cmi_degenerate_and_errors():
    rng = np.random.default_rng(8)
    x, y, z = rng.standard_normal((3, 100))
    assert conditional_mutual_information(np.ones(100), y, z, method="ksg") == 0.0
    loc = conditional_mutual_information(x, np.full((100, 2), 3.0), z, method="ksg", local=True)
    assert loc.shape == (100,) and (loc == 0).all()
    # a constant z: the CMI is the MI (same neighbourhoods, the z counts all)
    c = conditional_mutual_information(x, x + y, np.zeros(100), **_raw(k=3))
    assert np.isfinite(c)
    with pytest.raises(ValueError, match="same number of samples"):
        conditional_mutual_information(x, y, z[:50], method="ksg")
    with pytest.raises(ValueError, match="z contains NaN"):
        conditional_mutual_information(x, y, np.r_[z[:-1], np.nan], method="ksg")
    with pytest.raises(ValueError, match="more samples than k"):
        conditional_mutual_information(x[:4], y[:4], z[:4], method="ksg")
    with pytest.raises(ValueError, match="k \\+ 2 theiler"):
        conditional_mutual_information(x[:20], y[:20], z[:20], method="ksg", theiler=8)
    with pytest.raises(ValueError, match="algorithm"):
        conditional_mutual_information(x, y, z, method="ksg", algorithm=3)
    with pytest.raises(ValueError, match="metric"):
        conditional_mutual_information(x, y, z, method="ksg", metric="manhattan")
    with pytest.raises(ValueError, match="jitter"):
        conditional_mutual_information(x, y, z, method="ksg", jitter=-1.0)
    with pytest.raises(TypeError, match="theiler"):
        conditional_mutual_information(x, y, z, method="ksg", theiler=1.5)
    with pytest.raises(ValueError, match="theiler"):
        conditional_mutual_information(x, y, z, method="ksg", theiler=-1)
    with pytest.raises(ValueError, match="k must be"):
        conditional_mutual_information(x, y, z, method="ksg", k=0)
    with pytest.raises(ValueError, match="method"):
        conditional_mutual_information(x, y, z, method="kraskov")
    with pytest.raises(TypeError, match="x must be"):
        conditional_mutual_information(x.astype(complex), y, z, method="ksg")
    # float samples without a method, and kNN options given to labels
    with pytest.raises(ValueError, match="method='ksg'"):
        conditional_mutual_information(x, y, z)
    lab = rng.integers(0, 3, (3, 100))
    with pytest.raises(ValueError, match="k: option"):
        conditional_mutual_information(*lab, k=3)
    with pytest.raises(ValueError, match="algorithm"):
        conditional_mutual_information(*lab, method="plugin", algorithm=2)
    with pytest.raises(ValueError, match="n_categories"):
        conditional_mutual_information(x, y, z, method="ksg", n_categories=3)
    # the discrete path is unchanged
    assert conditional_mutual_information([0, 1, 0, 1, 0, 1, 0, 1], [0, 1, 1, 0, 0, 1, 1, 0],
                                          [0, 0, 1, 1, 0, 0, 1, 1]) == 1.0


def test_mi_keywords():
    rng = np.random.default_rng(9)
    x = rng.standard_normal(2000)
    y = x + rng.standard_normal(2000)
    a = mutual_information(x, y, method="ksg")
    loc = mutual_information(x, y, method="ksg", local=True)
    assert loc.shape == (2000,)
    np.testing.assert_allclose(loc.mean(), a, rtol=0, atol=1e-13)
    assert mutual_information(x, y, method="ksg", algorithm=2) != a
    lab = (x > 0).astype(int)
    r = mutual_information(x, lab, method="ross", local=True)
    np.testing.assert_allclose(r.mean(), mutual_information(x, lab, method="ross"), atol=1e-13)
    with pytest.raises(ValueError, match="algorithm"):
        mutual_information(x, lab, method="ross", algorithm=2)


def test_ross_theiler_window_in_time():
    # Ross with a window: the label groups keep their original times; an
    # independent NumPy version of the estimator with the window
    rng = np.random.default_rng(10)
    n = 400
    lab = rng.integers(0, 3, n)
    x = rng.standard_normal(n) + lab
    T, k = 3, 3
    D = np.abs(x[:, None] - x[None, :])
    t = np.arange(n)
    W = np.abs(t[:, None] - t[None, :]) <= T
    same = lab[:, None] == lab[None, :]
    r = np.sort(np.where(W | ~same, np.inf, D), axis=1)[:, k - 1]
    m = ((D < r[:, None]) & ~W).sum(1) + 1
    want = digamma(n) + digamma(k) - digamma(np.bincount(lab)[lab]) - digamma(m)
    got = mutual_information(x, lab, method="ross", k=k, theiler=T, local=True, **{
        "base": "nats", "jitter": 0, "standardize": False})
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_docstring_example():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(_dispatch.conditional_mutual_information)
    assert tests and tests[0].examples
    for t in tests:
        runner.run(t)
    assert runner.failures == 0


@pytest.mark.parametrize("metric", ["euclidean", "chebyshev"])
@pytest.mark.parametrize("theiler", [0, 2])
def test_knn_entropy_and_kl_keywords_equal_brute_force(metric, theiler):
    from scipy.special import gammaln

    rng = np.random.default_rng(11 + theiler)
    n, m, d, k = 300, 250, 3, 2
    x = rng.standard_normal((n, d))
    y = rng.standard_normal((m, d)) * 1.3 + 0.2
    Dxx = _dist(x, metric)
    t = np.arange(n)
    Dxx[np.abs(t[:, None] - t[None, :]) <= theiler] = np.inf
    rho = np.sort(Dxx, axis=1)[:, k - 1]
    diff = np.abs(x[:, None, :] - y[None, :, :])
    Dxy = diff.max(-1) if metric == "chebyshev" else np.sqrt((diff ** 2).sum(-1))
    nu = np.sort(Dxy, axis=1)[:, k - 1]
    logv = d * math.log(2) if metric == "chebyshev" else (
        0.5 * d * math.log(math.pi) - gammaln(0.5 * d + 1))
    want_h = digamma(n) - digamma(k) + logv + d * np.log(rho)
    got_h = ib.estimate.differential_entropy(x, method="knn", k=k, metric=metric,
                                             theiler=theiler, jitter=0, local=True,
                                             base="nats")
    np.testing.assert_allclose(got_h, want_h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        ib.estimate.differential_entropy(x, method="knn", k=k, metric=metric, theiler=theiler,
                                         jitter=0, base="nats"), want_h.mean(), atol=1e-12)
    want_kl = d * np.log(nu / rho) + math.log(m / (n - 1))
    got_kl = ib.estimate.kl_divergence(x, y, k=k, metric=metric, theiler=theiler, jitter=0,
                                       local=True, base="nats")
    np.testing.assert_allclose(got_kl, want_kl, rtol=0, atol=1e-12)
    # one dimension: the sorted sweeps give the same values as the engine
    x1, y1 = x[:, 0], y[:, 0]
    a = ib.estimate.kl_divergence(x1, y1, k=k, jitter=0, base="nats")
    b = ib.estimate.kl_divergence(x1, y1, k=k, jitter=0, local=True, base="nats").mean()
    np.testing.assert_allclose(a, b, rtol=1e-13)


def test_knn_options_rejected_by_spacing_methods():
    x = np.random.default_rng(0).standard_normal(100)
    with pytest.raises(ValueError, match="theiler"):
        ib.estimate.differential_entropy(x, method="vasicek", theiler=3)
    with pytest.raises(ValueError, match="local"):
        ib.estimate.differential_entropy(x, method="auto", local=True)
    # jitter reproducible and switched off by 0
    a = ib.estimate.differential_entropy(x, method="knn")
    assert a == ib.estimate.differential_entropy(x, method="knn")
    assert a != ib.estimate.differential_entropy(x, method="knn", random_state=1)


def test_knn_entropy_and_kl_at_extreme_magnitudes():
    # h(2^e x) = h(x) + d e ln 2 and the KL is invariant, also where the
    # differences of the raw samples would overflow or underflow
    rng = np.random.default_rng(12)
    x = rng.standard_normal((500, 2))
    y = rng.standard_normal((400, 2)) + 0.5
    h = ib.estimate.differential_entropy(x, method="knn", base="nats", jitter=0)
    kl = ib.estimate.kl_divergence(x, y, base="nats", jitter=0)
    for e in (1020, -1070 + 60, 600):
        s = 2.0 ** e
        np.testing.assert_allclose(
            ib.estimate.differential_entropy(x * s, method="knn", base="nats", jitter=0),
            h + 2 * e * math.log(2.0), rtol=1e-12)
        np.testing.assert_allclose(ib.estimate.kl_divergence(x * s, y * s, base="nats", jitter=0),
                                   kl, rtol=1e-12)
    with pytest.raises(ValueError, match="jitter"):
        ib.estimate.differential_entropy(x, method="knn", jitter=1e308)


def test_ksg_common_scaling_at_extreme_magnitudes():
    # with standardize=False a common power-of-two scaling changes nothing,
    # also near the ends of the double range
    rng = np.random.default_rng(13)
    x, y, z = rng.standard_normal((3, 400))
    y = y + x
    kw = _raw(k=3)
    a = mutual_information(x, y, **kw)
    c = conditional_mutual_information(x, y, z, **kw)
    for s in (2.0 ** 1021, 2.0 ** -1000):
        assert mutual_information(x * s, y * s, **kw) == a
        assert conditional_mutual_information(x * s, y * s, z * s, **kw) == c
