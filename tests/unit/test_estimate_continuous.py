"""Continuous estimators of infobits.estimate against independent references.

References: scipy.stats.differential_entropy (spacing methods, to rtol 1e-10),
scikit-learn's mutual_info_regression / mutual_info_classif (KSG and Ross),
scipy.spatial.cKDTree and brute-force NumPy distances (the compiled k-NN
sweeps), scipy.stats.multivariate_normal and torch.distributions (Gaussian
closed forms), quadrature (the MI of a Gaussian mixture), and the known
values of the estimated quantities.

Tolerances of the statistical tests are 4 standard deviations of the
estimator, measured beforehand over many seeds (figures next to each test);
the test data use fixed seeds, so the tests are deterministic.
"""
import doctest
import math
import warnings

import numpy as np
import pytest
import sklearn.feature_selection as sklearn_fs
from scipy import integrate, stats
from scipy.spatial import cKDTree

import infobits as ib
import infobits._knn as knn
from infobits.estimate import (
    _continuous,
    _dispatch,
    differential_entropy,
    gaussian_entropy,
    gaussian_kl_divergence,
    kl_divergence,
    mutual_information,
)

LN2 = math.log(2.0)
SPACING = ["vasicek", "van es", "ebrahimi", "correa"]


def _normal(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape)


# ------------------------------------------------------------ spacing --

@pytest.mark.parametrize("method", SPACING + ["auto"])
@pytest.mark.parametrize("n", [5, 8, 11, 50, 999, 1001, 4000])
def test_spacing_matches_scipy(method, n):
    x = _normal(n, n)
    got = differential_entropy(x, method=method, base="nats")
    want = stats.differential_entropy(x, method=method)
    assert isinstance(got, np.float64)
    np.testing.assert_allclose(got, want, rtol=1e-10)


@pytest.mark.parametrize("method", SPACING)
@pytest.mark.parametrize("dist", ["expon", "uniform", "cauchy"])
def test_spacing_other_distributions_and_windows(method, dist):
    x = getattr(stats, dist).rvs(size=600, random_state=7)
    for m in (1, 3, 24, 299):
        got = differential_entropy(x, method=method, window_length=m, base=10)
        want = stats.differential_entropy(x, method=method, window_length=m, base=10)
        np.testing.assert_allclose(got, want, rtol=1e-10)


@pytest.mark.parametrize("method", SPACING)
def test_spacing_batch_2d_matches_scipy_axis0(method):
    x = _normal(3, 700, 5) * [1, 2, 0.5, 10, 1e-3]
    got = differential_entropy(x, method=method)  # bits
    want = stats.differential_entropy(x, method=method, axis=0, base=2)
    assert got.shape == (5,) and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-10)
    # one column at a time gives the same values
    for j in range(5):
        assert differential_entropy(x[:, j], method=method) == got[j]


def test_spacing_layouts_dtypes_and_input_untouched():
    base = _normal(4, 3000, 3)
    want = stats.differential_entropy(base, method="vasicek", axis=0)
    for arr in (base, np.asfortranarray(base), base[::-1], np.repeat(base, 2, axis=0)[::2]):
        keep = arr.copy()
        got = differential_entropy(arr, method="vasicek", base="nats")
        np.testing.assert_allclose(got, want, rtol=1e-10)
        np.testing.assert_array_equal(arr, keep)  # not sorted in place
    ro = base.copy()
    ro.flags.writeable = False
    np.testing.assert_allclose(differential_entropy(ro, method="vasicek", base="nats"),
                               want, rtol=1e-10)
    # a 1-D float64 input is not sorted in place either
    x = _normal(5, 2000)
    keep = x.copy()
    differential_entropy(x)
    np.testing.assert_array_equal(x, keep)
    # float32 and integer inputs are computed in float64
    x32 = x.astype(np.float32)
    np.testing.assert_allclose(differential_entropy(x32, base="nats"),
                               stats.differential_entropy(x32.astype(np.float64)),
                               rtol=1e-10)
    xi = np.random.default_rng(6).permutation(500)
    np.testing.assert_allclose(differential_entropy(xi, base="nats"),
                               stats.differential_entropy(xi.astype(np.float64)), rtol=1e-10)


def test_spacing_auto_2d_and_bad_arguments():
    x = _normal(8, 100, 2)
    with pytest.raises(ValueError, match="method='auto' needs 1-D"):
        differential_entropy(x)
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy(x[:, 0], method="vasicek", window_length=50)
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy(x[:, 0], method="vasicek", window_length=0)
    with pytest.raises(TypeError, match="window_length"):
        differential_entropy(x[:, 0], method="vasicek", window_length=2.5)
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy([1.0, 2.0], method="vasicek")
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy([], method="vasicek")
    with pytest.raises(ValueError, match="method"):
        differential_entropy(x[:, 0], method="kde")
    with pytest.raises(ValueError, match="x must be 1-D"):
        differential_entropy(np.zeros((4, 4, 4)), method="vasicek")
    with pytest.raises(TypeError, match="x must be"):
        differential_entropy(np.ones(20, dtype=complex), method="vasicek")
    with pytest.raises(ValueError, match="base"):
        differential_entropy(x[:, 0], base=1)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", SPACING + ["auto", "knn"])
def test_nonfinite_samples_raise(bad, method):
    x = _normal(9, 200)
    x[17] = bad
    with pytest.raises(ValueError, match=r"x contains NaN or infinite values \(first at index 17\)"):
        differential_entropy(x, method=method)


def test_spacing_ties_follow_scipy_with_warning():
    # 2m+1 equal values: a zero Vasicek spacing -> -inf, as SciPy
    x = np.concatenate([np.zeros(40), _normal(10, 160)])
    for method in ("vasicek", "ebrahimi", "van es"):
        with pytest.warns(RuntimeWarning, match="zero spacing"):
            got = differential_entropy(x, method=method, window_length=5, base="nats")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = stats.differential_entropy(x, method=method, window_length=5)
        assert got == want == -np.inf
    # Correa: a window of 2m+1 equal values is 0/0 -> NaN in SciPy; never silent here
    with pytest.warns(RuntimeWarning, match="NaN"):
        got = differential_entropy(x, method="correa", window_length=5)
    assert np.isnan(got)
    # constant sample
    with pytest.warns(RuntimeWarning):
        assert differential_entropy(np.ones(100), method="vasicek") == -np.inf
    # few ties are harmless and still agree with SciPy
    y = np.round(_normal(11, 3000), 2)
    np.testing.assert_allclose(differential_entropy(y, method="vasicek", base="nats"),
                               stats.differential_entropy(y, method="vasicek"), rtol=1e-10)


@pytest.mark.parametrize("method", SPACING + ["knn"])
def test_entropy_rescaling(method):
    # h(a x + b) = h(x) + log|a|, exactly for these estimators (up to rounding)
    x = _normal(12, 2000)
    h = differential_entropy(x, method=method, base="nats")
    for a, b in [(3.0, 1.0), (-0.01, 5.0), (1e6, 0.0)]:
        np.testing.assert_allclose(differential_entropy(a * x + b, method=method, base="nats"),
                                   h + math.log(abs(a)), rtol=1e-9, atol=1e-9)


def test_spacing_bitwise_across_simd_paths_and_threads():
    x = _normal(13, 5000, 8)
    prev = knn._get_simd_level()
    old = ib.get_num_threads()
    try:
        res = []
        for level in knn._simd_levels():
            knn._set_simd_level(level)
            for t in (1, 2):
                ib.set_num_threads(t)
                res.append(differential_entropy(x, method="correa"))
                res.append(differential_entropy(x, method="vasicek"))
    finally:
        knn._set_simd_level(prev)
        ib.set_num_threads(old)
    for r in res[2:]:
        assert r.tobytes() in (res[0].tobytes(), res[1].tobytes())


# ---------------------------------------------------------- knn entropy --

def test_knn_entropy_2d_normal_closed_form():
    # Measured over 100 seeds (n = 20,000, k = 3): mean 2.83739, sd 0.00949
    # nats (truth log(2 pi e) = 2.83788); tolerance 4 sd = 0.038.
    z = _normal(2024, 20_000, 2)
    got = differential_entropy(z, method="knn", base="nats")
    assert abs(got - stats.multivariate_normal(mean=[0, 0]).entropy()) < 0.038
    # bits
    np.testing.assert_allclose(differential_entropy(z, method="knn"), got / LN2, rtol=1e-12)


def test_knn_entropy_correlated_3d_and_1d():
    cov = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.3], [0.0, 0.3, 0.5]])
    z = np.random.default_rng(15).multivariate_normal(np.zeros(3), cov, 20_000)
    want = stats.multivariate_normal(cov=cov).entropy()
    # 3-D has a larger k-NN bias than 2-D; 0.06 nats is > 4 sd at this n
    assert abs(differential_entropy(z, method="knn", base="nats") - want) < 0.06
    x = _normal(16, 20_000)
    assert abs(differential_entropy(x, method="knn", base="nats") - stats.norm.entropy()) < 0.04


def test_knn_entropy_1d_sweep_equals_brute_force():
    # the compiled sorted sweep against a brute-force distance matrix
    x = _normal(17, 300)
    for k in (1, 3, 10):
        d = np.sort(np.abs(x[:, None] - x[None, :]), axis=1)[:, k]  # column 0 is self
        from scipy.special import digamma
        want = digamma(300) - digamma(k) + math.log(2) + np.mean(np.log(d))
        np.testing.assert_allclose(differential_entropy(x, method="knn", k=k, base="nats",
                                                        jitter=0), want, rtol=1e-12)


def test_knn_entropy_degenerate():
    with pytest.raises(ValueError, match="more samples than k"):
        differential_entropy(np.arange(3.0), method="knn", k=3)
    with pytest.raises(ValueError, match="more samples than k"):
        differential_entropy(np.empty((0, 2)), method="knn")
    # tied samples raise without jitter; the default jitter breaks the ties
    with pytest.raises(ValueError, match="tied samples"):
        differential_entropy(np.r_[np.zeros(4), _normal(1, 50)], method="knn", k=3, jitter=0)
    with pytest.raises(ValueError, match="tied samples"):
        z = _normal(2, 50, 2)
        differential_entropy(np.r_[z, z, z, z], method="knn", k=3, jitter=0)
    assert np.isfinite(differential_entropy(np.r_[z, z, z, z], method="knn", k=3))
    with pytest.raises(ValueError, match="column 1 of x is constant"):
        differential_entropy(np.c_[_normal(3, 50), np.ones(50)], method="knn")
    with pytest.raises(ValueError, match="x is constant"):
        differential_entropy(np.ones(50), method="knn")
    with pytest.raises(ValueError, match="window_length"):
        differential_entropy(_normal(3, 50), method="knn", window_length=3)
    for bad in (0, -1):
        with pytest.raises(ValueError, match="k must be"):
            differential_entropy(_normal(3, 50), method="knn", k=bad)
    for bad in (1.5, True, None):
        with pytest.raises(TypeError, match="k must be"):
            differential_entropy(_normal(3, 50), method="knn", k=bad)
    # k = 1 on data with pairwise distinct values is fine
    assert np.isfinite(differential_entropy(_normal(4, 50), method="knn", k=1))


# ---------------------------------------------------------------- KL --

def test_kl_normal_half_nat():
    # N(0,1) against N(1,1): 0.5 nats.  Measured over 400 seeds
    # (n = m = 20,000, k = 1): mean 0.50018, sd 0.01943 nats, range
    # [0.443, 0.555]; tolerance 4 sd = 0.078 nats.
    rng = np.random.default_rng(20_000)
    p = rng.normal(0, 1, 20_000)
    q = rng.normal(1, 1, 20_000)
    got = kl_divergence(p, q, base="nats")
    assert isinstance(got, np.float64)
    assert abs(got - 0.5) < 0.078
    assert abs(kl_divergence(p, q) - 0.5 / LN2) < 0.078 / LN2  # bits: 0.7213


def test_kl_2d_normal():
    # N(0, I) against N((1, 0), I): 0.5 nats.  Measured over 100 seeds
    # (n = m = 20,000, k = 1): mean 0.4954, sd 0.0186; tolerance 0.08.
    rng = np.random.default_rng(21)
    p = rng.normal(size=(20_000, 2))
    q = rng.normal(size=(20_000, 2)) + [1.0, 0.0]
    assert abs(kl_divergence(p, q, base="nats") - 0.5) < 0.08


def _kl_brute(x, y, k):
    x = x.reshape(len(x), -1)
    y = y.reshape(len(y), -1)
    dxx = np.sort(np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)), axis=1)[:, k]
    dxy = np.sort(np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1)), axis=1)[:, k - 1]
    n, d = x.shape
    return d * np.mean(np.log(dxy / dxx)) + math.log(len(y) / (n - 1))


@pytest.mark.parametrize("k", [1, 2, 5])
def test_kl_sweep_equals_brute_force(k):
    rng = np.random.default_rng(22 + k)
    x = rng.normal(0, 1, 400)
    y = rng.normal(0.5, 2, 333)
    np.testing.assert_allclose(kl_divergence(x, y, k=k, base="nats", jitter=0),
                               _kl_brute(x, y, k), rtol=1e-11)
    # y entirely to one side of x, and interleaved clusters
    y2 = rng.normal(10, 1, 50)
    np.testing.assert_allclose(kl_divergence(x, y2, k=k, base="nats", jitter=0),
                               _kl_brute(x, y2, k), rtol=1e-11)
    x3 = rng.normal(size=(300, 3))
    y3 = rng.normal(size=(250, 3)) * 1.5
    np.testing.assert_allclose(kl_divergence(x3, y3, k=k, base="nats", jitter=0),
                               _kl_brute(x3, y3, k), rtol=1e-11)


def test_kl_invariant_to_common_rescaling_and_layout():
    rng = np.random.default_rng(30)
    x = rng.normal(0, 1, 5000)
    y = rng.normal(1, 1, 4000)
    # the estimator is invariant; the jitter (drawn per call, its sign not
    # flipped with a) is off for the exact comparison
    d = kl_divergence(x, y, jitter=0)
    for a, b in [(7.0, -3.0), (-1e-3, 2.0)]:
        np.testing.assert_allclose(kl_divergence(a * x + b, a * y + b, jitter=0), d, rtol=1e-9)
    np.testing.assert_allclose(kl_divergence(x[::-1], np.repeat(y, 2)[::2], jitter=0),
                               kl_divergence(x, y, jitter=0), rtol=1e-12)
    keep = x.copy()
    kl_divergence(x, y)
    np.testing.assert_array_equal(x, keep)
    x2 = rng.normal(size=(3000, 2))
    y2 = rng.normal(size=(3000, 2))
    np.testing.assert_allclose(kl_divergence(5 * x2, 5 * y2), kl_divergence(x2, y2), rtol=1e-9)


def test_kl_threads_bitwise():
    rng = np.random.default_rng(31)
    x = rng.normal(0, 1, 300_000)
    y = rng.normal(1, 1, 200_000)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        a = kl_divergence(x, y)
        ib.set_num_threads(2)
        b = kl_divergence(x, y)
    finally:
        ib.set_num_threads(old)
    assert a.tobytes() == b.tobytes()


def test_kl_degenerate():
    x = _normal(40, 100)
    y = _normal(41, 100) + 1
    with pytest.raises(ValueError, match="x has tied samples"):
        kl_divergence(np.r_[x, x[:1]], y, jitter=0)
    with pytest.raises(ValueError, match="coincide"):
        kl_divergence(x, np.r_[y, x[5]], jitter=0)
    with pytest.raises(ValueError, match="x has tied samples"):
        kl_divergence(np.c_[np.r_[x, x[:1]], np.r_[x, x[:1]]], np.c_[y, y], jitter=0)
    # tied x is fine when k exceeds the multiplicity, or with the jitter
    assert np.isfinite(kl_divergence(np.r_[x, x[:1]], y, k=2, jitter=0))
    assert np.isfinite(kl_divergence(np.r_[x, x[:1]], y))
    with pytest.raises(ValueError, match="more than k"):
        kl_divergence([1.0], y)
    with pytest.raises(ValueError, match="y needs at least k"):
        kl_divergence(x, y[:2], k=3)
    with pytest.raises(ValueError, match="same dimension"):
        kl_divergence(x.reshape(50, 2), y)
    with pytest.raises(ValueError, match="y contains NaN"):
        kl_divergence(x, np.r_[y, np.nan])
    with pytest.raises(ValueError, match="x contains NaN"):
        kl_divergence(np.r_[x, np.inf], y)
    with pytest.raises(ValueError, match="method"):
        kl_divergence(x, y, method="sorted")
    with pytest.raises(ValueError, match="k must be"):
        kl_divergence(x, y, k=0)
    with pytest.raises(ValueError, match="same dimension"):
        kl_divergence(_normal(1, 20, 2), _normal(1, 20, 3))
    with pytest.raises(ValueError, match="x must be 1-D"):
        kl_divergence(np.zeros((2, 2, 2)), y)


# ---------------------------------------------------------------- KSG --

def test_ksg_correlated_gaussians():
    # I = -1/2 log(1 - rho^2) = 0.22314 nats for rho = 0.6.  Measured over
    # 200 seeds (n = 10,000, k = 3): mean 0.22419, sd 0.00957; tolerance 4 sd
    # = 0.038 nats.
    rng = np.random.default_rng(600)
    x = rng.standard_normal(10_000)
    y = 0.6 * x + 0.8 * rng.standard_normal(10_000)
    got = mutual_information(x, y, method="ksg", base="nats")
    assert isinstance(got, np.float64)
    assert abs(got - (-0.5 * math.log(1 - 0.36))) < 0.038


def test_ksg_multidimensional_x():
    # x = (x1, x2), y = 0.6 x1 + 0.8 e: I = -1/2 log(0.64) nats.  Measured over
    # 100 seeds (n = 5,000): mean 0.22473, sd 0.01284; tolerance 0.052.
    rng = np.random.default_rng(601)
    x = rng.standard_normal((5000, 2))
    y = 0.6 * x[:, 0] + 0.8 * rng.standard_normal(5000)
    got = mutual_information(x, y, method="ksg", base="nats")
    assert abs(got - (-0.5 * math.log(0.64))) < 0.052


@pytest.mark.parametrize("seed", range(4))
def test_ksg_equals_sklearn_mutual_info_regression(seed):
    # scikit-learn implements the same algorithm (KSG 1, max-norm, digamma
    # form, unit-variance scaling, 1e-10-scale noise).  Both add their own
    # noise (different generators).  On tie-free continuous data the noise
    # moves a neighbour across a radius only at a near-tie; each such flip
    # changes one count c by 1 and the estimate by 1/(n c) <= 1/n.
    # sklearn's own value moves by ~1e-6 between its random_states on some
    # of these data for that reason, so we allow 3 flips: atol = 3/n.  A
    # definitional difference (k vs k-1, strict vs non-strict counts) moves
    # the estimate by O(1e-2).  sklearn clips at 0, so the data have clearly
    # positive MI.
    rng = np.random.default_rng(700 + seed)
    n = [500, 2000, 3000, 10_000][seed]
    x = rng.standard_normal(n) * 5 + 3
    y = np.sin(x) + 0.5 * rng.standard_normal(n) + 0.3 * x
    for k in (1, 3, 7):
        want = sklearn_fs.mutual_info_regression(x[:, None], y, n_neighbors=k,
                                                 random_state=seed)[0]
        got = mutual_information(x, y, method="ksg", k=k, base="nats")
        np.testing.assert_allclose(got, want, rtol=0, atol=3 / n)


def test_ksg_grid_search_equals_kdtree():
    # the compiled 2-D max-norm search against cKDTree, on smooth, clustered,
    # heavy-tailed and tied-x data
    rng = np.random.default_rng(800)
    cases = [
        (rng.standard_normal(3000), rng.standard_normal(3000)),
        (np.r_[rng.normal(0, 1e-3, 1500), rng.normal(50, 1, 1500)], rng.standard_normal(3000)),
        (rng.standard_cauchy(3000), rng.standard_cauchy(3000)),
        (rng.integers(0, 5, 3000) + 1e-9 * rng.standard_normal(3000), rng.standard_normal(3000)),
        # large offsets and extreme scales (rounding of the cell bounds)
        (1e6 + 1e-3 * rng.standard_normal(3000), -5e7 + rng.standard_normal(3000)),
        (1e-200 * rng.standard_normal(3000), 1e290 * rng.standard_normal(3000)),
    ]
    for x, y in cases:
        for k in (1, 3, 10):
            eps = np.empty(x.size)
            box = (*_continuous._bulk(x), *_continuous._bulk(y))
            ok, work = knn.knn2d_maxnorm_f64(x, y, k, (box[0], box[2], box[1], box[3]),
                                             10**12, eps)
            assert ok and work > 0
            xy = np.c_[x, y]
            want = cKDTree(xy).query(xy, k=k + 1, p=np.inf)[0][:, k]
            np.testing.assert_array_equal(eps, want)
            # any box gives the same (exact) distances
            ok, _ = knn.knn2d_maxnorm_f64(x, y, k, (0.0, 0.0, 1e-3, 1e-3), 10**12, eps)
            assert ok
            np.testing.assert_array_equal(eps, want)
    # a tiny work budget makes the kernel give up (the caller then uses a tree)
    x, y = cases[3]
    eps = np.empty(x.size)
    assert not knn.knn2d_maxnorm_f64(x, y, 3, (0.0, -3.0, 4.0, 3.0), 2, eps)[0]
    # smooth data stay far inside the budget the estimator sets; heavy tails do not
    x, y = cases[0]
    x, y = x / x.std(), y / y.std()
    box = (*_continuous._bulk(x), *_continuous._bulk(y))
    ok, work = knn.knn2d_maxnorm_f64(x, y, 3, (box[0], box[2], box[1], box[3]),
                                     10**12, eps)
    assert work < _continuous._max_work(x.size, 3) / 4
    z = np.random.default_rng(801).standard_cauchy((2, 100_000))
    z /= z.std(axis=1, keepdims=True)
    box = (*_continuous._bulk(z[0]), *_continuous._bulk(z[1]))
    ok, work = knn.knn2d_maxnorm_f64(z[0], z[1], 3, (box[0], box[2], box[1], box[3]),
                                     _continuous._max_work(100_000, 3), np.empty(100_000))
    assert not ok


def test_ksg_fallback_path_agrees(monkeypatch):
    # when the grid search exceeds its scan budget the neighbour engine's
    # k-d tree takes over; both find the exact same neighbourhoods
    rng = np.random.default_rng(801)
    n = 5000
    x = rng.integers(0, 2, n) + 1e-9 * rng.standard_normal(n)
    y = x + rng.standard_normal(n)
    grid = mutual_information(x, y, method="ksg", base="nats")
    calls = []
    real = _continuous._space

    def spy(*a):
        calls.append(1)
        return real(*a)

    monkeypatch.setattr(_continuous, "_max_work", lambda n, k: 1)
    monkeypatch.setattr(_continuous, "_space", spy)
    tree = mutual_information(x, y, method="ksg", base="nats")
    assert calls, "the k-d tree fallback was not used"
    assert tree == grid
    want = sklearn_fs.mutual_info_regression(x[:, None], y, random_state=0)[0]
    np.testing.assert_allclose(tree, want, rtol=0, atol=3 / n)


def test_ksg_rescaling_standardize_and_reproducibility():
    rng = np.random.default_rng(900)
    x = rng.standard_normal(3000)
    y = x ** 2 + rng.standard_normal(3000)
    a = mutual_information(x, y, method="ksg")
    # invariant to rescaling each variable (standardize=True, the default)
    np.testing.assert_allclose(mutual_information(1e3 * x, -0.01 * y, method="ksg"), a,
                               rtol=1e-9)
    # without standardisation the max-norm neighbourhoods change
    b = mutual_information(1e3 * x, y, method="ksg", standardize=False)
    assert abs(b - a) > 1e-3
    # reproducible: default seed, int seeds, Generators
    assert mutual_information(x, y, method="ksg") == a
    assert (mutual_information(x, y, method="ksg", random_state=5)
            == mutual_information(x, y, method="ksg", random_state=np.random.default_rng(5)))
    assert (mutual_information(x, y, method="ksg", random_state=np.random.RandomState(3))
            == mutual_information(x, y, method="ksg", random_state=np.random.RandomState(3)))
    # base
    np.testing.assert_allclose(mutual_information(x, y, method="ksg", base="nats"), a * LN2,
                               rtol=1e-12)


def test_ksg_not_clipped_and_threads_bitwise():
    rng = np.random.default_rng(901)
    vals = [mutual_information(rng.standard_normal(500), rng.standard_normal(500),
                               method="ksg") for _ in range(20)]
    assert min(vals) < 0  # independent data: estimates scatter around 0
    x = rng.standard_normal(100_000)
    y = x + rng.standard_normal(100_000)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        a = mutual_information(x, y, method="ksg")
        ib.set_num_threads(2)
        b = mutual_information(x, y, method="ksg")
    finally:
        ib.set_num_threads(old)
    assert a.tobytes() == b.tobytes()


def test_ksg_degenerate():
    x = _normal(50, 100)
    assert mutual_information(np.ones(100), x, method="ksg") == 0.0
    assert mutual_information(x, np.full((100, 2), 3.0), method="ksg") == 0.0
    # ties (integer-valued data) are broken by the noise: finite, reproducible
    xi = np.random.default_rng(51).integers(0, 4, 2000)
    yi = xi + np.random.default_rng(52).integers(0, 2, 2000)
    v = mutual_information(xi, yi, method="ksg")
    assert np.isfinite(v) and v == mutual_information(xi, yi, method="ksg")
    with pytest.raises(ValueError, match="more samples than k"):
        mutual_information(x[:3], x[:3], method="ksg", k=3)
    with pytest.raises(ValueError, match="same number of samples"):
        mutual_information(x, x[:50], method="ksg")
    with pytest.raises(ValueError, match="y contains NaN"):
        mutual_information(x, np.r_[x[:-1], np.nan], method="ksg")
    with pytest.raises(ValueError, match="x contains NaN"):
        mutual_information(np.r_[x[:-1], -np.inf], x, method="ksg")
    with pytest.raises(ValueError, match="k must be"):
        mutual_information(x, x, method="ksg", k=0)
    with pytest.raises(ValueError, match="method"):
        mutual_information(x, x, method="kraskov")
    with pytest.raises(TypeError, match="x must be"):
        mutual_information(x.astype(complex), x, method="ksg")


# --------------------------------------------------------------- Ross --

def _mixture_mi():
    # I(X; Y), Y uniform on {0, 1}, X | Y ~ N(2 Y, 1): h(X) - h(N(0, 1)) by quadrature
    def pdf(t):
        return 0.5 * (stats.norm.pdf(t) + stats.norm.pdf(t, 2))
    hx = integrate.quad(lambda t: -pdf(t) * np.log(pdf(t)), -12, 14, limit=200)[0]
    return hx - stats.norm.entropy()


def test_ross_mixture_known_value():
    # truth 0.33683 nats.  Measured over 100 seeds (n = 10,000, k = 3):
    # 1-D x: mean 0.33675, sd 0.00736; with an extra independent dimension:
    # mean 0.33808, sd 0.00698.  Tolerance 0.03 nats (4 sd).
    true = _mixture_mi()
    rng = np.random.default_rng(1000)
    lab = rng.integers(0, 2, 10_000)
    x = rng.standard_normal(10_000) + 2 * lab
    assert abs(mutual_information(x, lab, method="ross", base="nats") - true) < 0.03
    x2 = np.c_[x, rng.standard_normal(10_000)]
    assert abs(mutual_information(x2, lab, method="ross", base="nats") - true) < 0.03


@pytest.mark.parametrize("seed", range(3))
def test_ross_equals_sklearn_mutual_info_classif(seed):
    # same estimator in scikit-learn (1-D x, unit-variance scaling, noise of
    # its own; see test_ksg_equals_sklearn for the tolerance: here sklearn's
    # value moves by 1.2e-6 between its random_states 0 and 1).  The
    # labels include a singleton (left out by both) and a class smaller than
    # k + 1 (k reduced to its size - 1 by both).
    rng = np.random.default_rng(1100 + seed)
    n = 3000
    lab = rng.integers(0, 4, n)
    lab[0] = 9          # a label that occurs once
    lab[1:3] = 7        # a class of two points
    x = rng.standard_normal(n) * 3 + lab
    for k in (1, 3, 5):
        want = sklearn_fs.mutual_info_classif(x[:, None], lab, n_neighbors=k,
                                              random_state=seed)[0]
        got = mutual_information(x, lab, method="ross", k=k, base="nats")
        np.testing.assert_allclose(got, want, rtol=0, atol=3 / n)
    # labels of another dtype give the same value
    names = np.array(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])[lab]
    np.testing.assert_allclose(mutual_information(x, names, method="ross", base="nats"),
                               mutual_information(x, lab, method="ross", base="nats"),
                               rtol=1e-12)


def test_ross_rescaling_and_degenerate():
    rng = np.random.default_rng(1200)
    lab = rng.integers(0, 3, 2000)
    x = rng.standard_normal((2000, 2)) + lab[:, None]
    a = mutual_information(x, lab, method="ross")
    np.testing.assert_allclose(mutual_information(x * [100.0, 0.1], lab, method="ross"), a,
                               rtol=1e-9)
    assert mutual_information(np.ones(2000), lab, method="ross") == 0.0
    with pytest.raises(ValueError, match="occurs at least twice"):
        mutual_information(x[:5], np.arange(5), method="ross")
    with pytest.raises(ValueError, match="y contains NaN"):
        mutual_information(x[:, 0], np.r_[lab[:-1], np.nan], method="ross")
    with pytest.raises(ValueError, match="same number of samples"):
        mutual_information(x, lab[:10], method="ross")
    with pytest.raises(ValueError, match="y must be 1-D"):
        mutual_information(x, x, method="ross")
    with pytest.raises(ValueError, match="x contains NaN"):
        mutual_information(np.r_[x[:-1, 0], np.nan], lab, method="ross")


# ------------------------------------------------ Gaussian closed forms --

def test_gaussian_entropy_against_scipy():
    np.testing.assert_allclose(gaussian_entropy(1.0, base="nats"), stats.norm.entropy(),
                               rtol=1e-14)
    np.testing.assert_allclose(gaussian_entropy(4.0), stats.norm(scale=2).entropy() / LN2,
                               rtol=1e-14)
    rng = np.random.default_rng(1300)
    for d in (1, 2, 5):
        a = rng.standard_normal((d, d))
        cov = a @ a.T + d * np.eye(d)
        np.testing.assert_allclose(gaussian_entropy(cov, base="nats"),
                                   stats.multivariate_normal(cov=cov).entropy(), rtol=1e-12)
    for bad in ([[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.5], [0.0, 1.0]], np.ones((2, 3)),
                [[np.nan]], 0.0, -1.0, np.ones((2, 2, 2))):
        with pytest.raises(ValueError, match="cov"):
            gaussian_entropy(bad)


def test_gaussian_kl_against_torch():
    torch = pytest.importorskip("torch")  # installed by CI
    D = torch.distributions
    assert gaussian_kl_divergence(0.0, 1.0, 1.0, 1.0, base="nats") == pytest.approx(0.5,
                                                                                  rel=1e-15)
    rng = np.random.default_rng(1400)
    for d in (1, 3):
        a, b = rng.standard_normal((2, d, d))
        c0 = a @ a.T + np.eye(d)
        c1 = b @ b.T + np.eye(d)
        m0, m1 = rng.standard_normal((2, d))
        want = D.kl_divergence(
            D.MultivariateNormal(torch.from_numpy(m0), torch.from_numpy(c0)),
            D.MultivariateNormal(torch.from_numpy(m1), torch.from_numpy(c1))).item()
        np.testing.assert_allclose(gaussian_kl_divergence(m0, c0, m1, c1, base="nats"), want,
                                   rtol=1e-10)
        np.testing.assert_allclose(gaussian_kl_divergence(m0, c0, m1, c1), want / LN2,
                                   rtol=1e-10)
    with pytest.raises(ValueError, match="mu0 and mu1"):
        gaussian_kl_divergence([0.0, 0.0], np.eye(2), [0.0], 1.0)
    with pytest.raises(ValueError, match="cov1 must be"):
        gaussian_kl_divergence([0.0, 0.0], np.eye(2), [0.0, 0.0], np.eye(3))
    with pytest.raises(ValueError, match="cov0 must be positive definite"):
        gaussian_kl_divergence(0.0, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="mu1 contains NaN"):
        gaussian_kl_divergence(0.0, 1.0, np.nan, 1.0)


def test_estimators_reach_the_closed_forms():
    # the estimators against the closed forms (and the closed forms against
    # the values quoted in the docs: 0.5 nats = 0.7213 bits)
    assert round(float(gaussian_kl_divergence(0, 1, 1, 1)), 4) == 0.7213
    rng = np.random.default_rng(1500)
    cov = np.array([[1.0, 0.6], [0.6, 1.0]])
    z = rng.multivariate_normal([0, 0], cov, 20_000)
    # I(X;Y) = h(X) + h(Y) - h(X,Y) for the bivariate normal
    true_mi = 2 * gaussian_entropy(1.0) - gaussian_entropy(cov)
    assert abs(mutual_information(z[:, 0], z[:, 1], method="ksg") - true_mi) < 0.038 / LN2


# ---------------------------------------------------------- docstrings --

@pytest.mark.parametrize("obj", [differential_entropy, kl_divergence, gaussian_entropy,
                                 gaussian_kl_divergence, _dispatch.mutual_information],
                         ids=lambda o: o.__name__)
def test_docstring_examples(obj):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    n = 0
    for t in finder.find(obj, obj.__name__, globs={"np": np}):
        n += len(t.examples)
        runner.run(t)
    assert n > 0
    assert runner.summarize(verbose=False).failed == 0


# ------------------------------------------------------- the radix sort
def _awkward_samples(rng, n):
    yield rng.normal(size=n)
    yield rng.integers(-3, 3, n).astype(np.float64)           # many ties
    yield np.where(rng.random(n) < 0.5, -0.0, 0.0)            # signed zeros
    yield rng.normal(size=n) * 10.0 ** rng.integers(-323, 300, n)  # subnormals..huge
    yield np.sort(rng.normal(size=n))[::-1].copy()            # reversed
    yield np.full(n, 2.5)                                     # one value: every pass skipped
    yield np.concatenate([[np.inf, -np.inf, np.finfo(float).max, -np.finfo(float).tiny],
                          rng.normal(size=max(n - 4, 0))])[:n]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 47, 48, 49, 255, 256, 1000, 65_537])
def test_radix_sort_matches_numpy_sort(n):
    rng = np.random.default_rng(n)
    for v in _awkward_samples(rng, n):
        got = v.copy()
        knn.sort_rows_f64(got[None, :])
        want = np.sort(v)
        assert np.array_equal(got, want)
        # the one freedom: equal values -0.0 and +0.0, -0.0 first
        z = got == 0
        assert not (np.signbit(got[z])[1:] > np.signbit(got[z])[:-1]).any()


def test_radix_sort_rows_are_independent():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(5, 300)) * 10.0 ** rng.integers(-5, 5, (5, 300))
    got = a.copy()
    knn.sort_rows_f64(got)
    np.testing.assert_array_equal(got, np.sort(a, axis=1))
    with pytest.raises(ValueError):
        knn.sort_rows_f64(np.zeros((3, 4))[:, ::2])   # rows must be contiguous


@pytest.mark.parametrize("threads", [1, 2])
def test_knn_maps_on_the_engine_many_chunks(threads):
    """The four 1-D / 2-D neighbour maps run as engine units (chunks of 8192
    or 1024 points, handed out dynamically): every point is computed, by
    whichever thread, as cKDTree and searchsorted compute it."""
    rng = np.random.default_rng(2026)
    n = 70_000
    old = ib.get_num_threads()
    ib.set_num_threads(threads)
    try:
        vs = np.sort(rng.standard_normal(n))
        r = rng.uniform(0.0, 0.01, n)
        r[::97] = 0.0
        got = np.empty(n, dtype=np.int64)
        knn.count_within_self_f64(vs, r, got)
        # |vs[j] - vs[i]| < r[i]: strict on both sides (nextafter toward vs[i])
        lo = np.searchsorted(vs, vs - r, side="right")
        hi = np.searchsorted(vs, vs + r, side="left")
        want = np.where(r > 0, hi - lo, 0)
        # rounding of vs +- r can move a bound by one; check those exactly
        odd = np.flatnonzero(want != got)
        for i in odd:
            want[i] = np.count_nonzero(np.abs(vs - vs[i]) < r[i])
        np.testing.assert_array_equal(got, want)

        out = np.empty(n)
        knn.knn1d_dist_f64(vs, None, 3, out)
        tree = cKDTree(vs[:, None])
        np.testing.assert_array_equal(out, tree.query(vs[:, None], k=4)[0][:, 3])

        x, y = rng.standard_normal(n), rng.standard_normal(n)
        eps = np.empty(n)
        box = (*_continuous._bulk(x), *_continuous._bulk(y))
        ok, _ = knn.knn2d_maxnorm_f64(x, y, 3, (box[0], box[2], box[1], box[3]), 10**12, eps)
        assert ok
        xy = np.c_[x, y]
        np.testing.assert_array_equal(eps, cKDTree(xy).query(xy, k=4, p=np.inf)[0][:, 3])

        xs = np.sort(rng.standard_normal((3, 30_000)), axis=1)
        h = np.empty(3)
        knn.spacing_entropy_f64(knn.SPACING_METHODS["vasicek"], xs, 5, h)
        for row, v in zip(xs, h):
            want_v = stats.differential_entropy(row, window_length=5, method="vasicek")
            assert abs(v - want_v) < 1e-12 * abs(want_v) + 1e-12
    finally:
        ib.set_num_threads(old)
