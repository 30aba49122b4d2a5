"""The neighbour engine (infobits._knn.KnnSpace) against brute-force NumPy
distance matrices and scipy.spatial.cKDTree: k-th neighbour distances in
the max-norm and the Euclidean norm (grouped joint norms), per-group maxima
over the k neighbours, strict and non-strict counts with one or per-group
radii, Theiler windows (with and without time stamps), counts restricted to
a one-dimensional ball, external queries, thread-count invariance and
argument checks."""
import numpy as np
import pytest
from scipy.spatial import cKDTree

import infobits as ib
from infobits import _knn

MAX, EUC = _knn.METRICS["chebyshev"], _knn.METRICS["euclidean"]


def _pair(x, groups, metric):
    """Per-group distance matrices and the joint one, written independently
    with NumPy broadcasting."""
    bounds = np.cumsum((0,) + tuple(groups))
    G = []
    for g in range(len(groups)):
        diff = np.abs(x[:, None, bounds[g]:bounds[g + 1]] - x[None, :, bounds[g]:bounds[g + 1]])
        G.append(diff.max(-1) if metric == MAX else np.sqrt((diff ** 2).sum(-1)))
    return G, np.maximum.reduce(G)


def _window(times, theiler):
    return np.abs(times[:, None] - times[None, :]) <= theiler


@pytest.mark.parametrize("d,groups", [(1, (1,)), (2, (1, 1)), (3, (1, 1, 1)), (5, (2, 3)),
                                      (4, (4,)), (6, (1, 2, 3))])
@pytest.mark.parametrize("metric", [MAX, EUC])
@pytest.mark.parametrize("theiler", [0, 3])
def test_knn_and_counts_equal_brute_force(d, groups, metric, theiler):
    rng = np.random.default_rng(d * 10 + theiler + metric)
    n = 400
    x = rng.standard_normal((n, d))
    x[::7] = np.round(x[::7], 1)   # some near-ties
    sp = _knn.KnnSpace(x, groups)
    G, D = _pair(x, groups, metric)
    W = _window(np.arange(n), theiler)
    Dm = np.where(W, np.inf, D)
    for k in (1, 4, 9):
        eps, ge = sp.knn(k, metric, theiler, group_max=True)
        want = np.sort(Dm, axis=1)[:, k - 1]
        assert np.array_equal(eps, want)
        # the group maxima over the k nearest, where the set of k nearest is
        # unique (the rounded rows make ties at the k-th distance elsewhere)
        srt = np.sort(Dm, axis=1)
        uniq = srt[:, k - 1] < srt[:, k]
        assert uniq.mean() > 0.8
        o = np.argsort(Dm, axis=1, kind="stable")[:, :k]
        want_ge = np.stack([np.take_along_axis(g, o, 1).max(1) for g in G], 1)
        np.testing.assert_array_equal(ge[uniq], want_ge[uniq])
        for strict in (True, False):
            c = sp.count(eps, metric, strict, theiler)
            inside = (D < eps[:, None]) if strict else (D <= eps[:, None])
            assert np.array_equal(c, (inside & ~W).sum(1))
            c2 = sp.count(ge, metric, strict, theiler)
            ok = ~W
            for g, Gg in enumerate(G):
                ok &= (Gg < ge[:, g:g + 1]) if strict else (Gg <= ge[:, g:g + 1])
            assert np.array_equal(c2, ok.sum(1))


def test_against_ckdtree_large():
    rng = np.random.default_rng(3)
    for d in (1, 2, 3, 7):
        x = rng.standard_normal((20_000, d)) * np.geomspace(1, 100, d)
        sp = _knn.KnnSpace(x)
        tree = cKDTree(x)
        for metric, p in ((MAX, np.inf), (EUC, 2)):
            eps = sp.knn(5, metric)
            want = tree.query(x, k=6, p=p)[0][:, 5]
            np.testing.assert_array_equal(eps, want)
            r = eps * 1.7
            got = sp.count(r, metric, True)
            want_c = tree.query_ball_point(x, np.nextafter(r, 0), p=p, return_length=True) - 1
            np.testing.assert_array_equal(got, want_c)
            q = rng.standard_normal((3000, d)) * np.geomspace(1, 100, d)
            np.testing.assert_array_equal(sp.knn_points(q, 3, metric),
                                          tree.query(q, k=3, p=p)[0][:, 2])


def test_time_stamps_theiler():
    # a subsample of a series keeps its times: the window is in time, not rows
    rng = np.random.default_rng(4)
    times = np.sort(rng.choice(2000, 300, replace=False))
    x = rng.standard_normal((300, 2))
    sp = _knn.KnnSpace(x, None, times)
    _, D = _pair(x, (2,), MAX)
    W = _window(times, 6)
    eps = sp.knn(3, MAX, 6)
    assert np.array_equal(eps, np.sort(np.where(W, np.inf, D), 1)[:, 2])
    c = sp.count(eps * 2, MAX, True, 6)
    assert np.array_equal(c, ((D < 2 * eps[:, None]) & ~W).sum(1))
    with pytest.raises(ValueError, match="strictly increasing"):
        _knn.KnnSpace(x, None, times[::-1])


def test_counts_in_a_one_dimensional_range():
    rng = np.random.default_rng(5)
    n = 500
    x = rng.standard_normal((n, 4))
    zs = _knn.KnnSpace(np.ascontiguousarray(x[:, 3:]))
    rz = np.abs(rng.standard_normal(n)) * 0.3
    for theiler in (0, 4):
        W = _window(np.arange(n), theiler)
        for strict in (True, False):
            for metric in (MAX, EUC):
                def lt(a, b, strict=strict):
                    return a < b if strict else a <= b
                cz, (c1, c2) = zs.count_in_range(rz, [x[:, :1], x[:, 1:3]], [rz, 0.5 * rz],
                                                 metric, strict, theiler)
                Z = lt(np.abs(x[:, None, 3] - x[None, :, 3]), rz[:, None]) & ~W
                assert np.array_equal(cz, Z.sum(1))
                G1, _ = _pair(x[:, :1], (1,), metric)
                G2, _ = _pair(x[:, 1:3], (2,), metric)
                assert np.array_equal(c1, (Z & lt(G1[0], rz[:, None])).sum(1))
                assert np.array_equal(c2, (Z & lt(G2[0], 0.5 * rz[:, None])).sum(1))


def test_thread_count_invariance():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((60_000, 3))
    old = ib.get_num_threads()
    res = []
    try:
        for t in (1, 2, 3):
            ib.set_num_threads(t)
            sp = _knn.KnnSpace(x, (1, 1, 1))
            eps, ge = sp.knn(4, MAX, 2, group_max=True)
            res.append((eps.tobytes(), ge.tobytes(), sp.count(eps, MAX, True, 2).tobytes()))
    finally:
        ib.set_num_threads(old)
    assert res[0] == res[1] == res[2]


def test_degenerate_and_bad_arguments():
    x = np.zeros((50, 2))          # all points equal: one leaf, distances 0
    sp = _knn.KnnSpace(x)
    assert (sp.knn(3) == 0).all()
    assert (sp.count(np.ones(50)) == 49).all()
    assert (sp.count(np.zeros(50)) == 0).all()
    assert (sp.count(np.zeros(50), strict=False) == 49).all()
    empty = _knn.KnnSpace(np.empty((0, 2)))
    assert empty.knn(1).shape == (0,)
    with pytest.raises(ValueError, match="finite"):
        _knn.KnnSpace(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="groups"):
        _knn.KnnSpace(np.ones((5, 3)), (1, 1))
    with pytest.raises(ValueError, match="need more points"):
        _knn.KnnSpace(np.ones((5, 1))).knn(5)
    with pytest.raises(ValueError, match="need more points"):
        _knn.KnnSpace(np.random.default_rng(0).random((10, 1))).knn(3, 0, 4)
    with pytest.raises(ValueError, match="metric"):
        sp.knn(1, 7)
    with pytest.raises(ValueError, match="r must have"):
        sp.count(np.ones(49))
    with pytest.raises(ValueError, match="columns"):
        sp.knn_points(np.ones((3, 3)), 1)
    with pytest.raises(ValueError, match="one-dimensional"):
        sp.count_in_range(np.ones(50), [], [])


def test_one_dimensional_products_equal_brute_force():
    # count2 / count_prod: the offline sweep against full distance matrices
    rng = np.random.default_rng(8)
    n = 400
    u1, u2, v = rng.standard_normal((3, n))
    u1[::9] = np.round(u1[::9], 1)   # ties in the sorted samples
    times = np.sort(rng.choice(3 * n, n, replace=False))
    for stamps in (None, times):
        sp = [_knn.KnnSpace(np.ascontiguousarray(a[:, None]), None, stamps) for a in (u1, u2, v)]
        t = np.arange(n) if stamps is None else stamps
        r1, r2, rv = (np.abs(rng.standard_normal((3, n))) * 0.4)
        r1[::11] = 0.0
        for theiler in (0, 3):
            W = _window(t, theiler)
            for strict in (True, False):
                def inside(a, r, strict=strict):
                    d = np.abs(a[:, None] - a[None, :])
                    return d < r[:, None] if strict else d <= r[:, None]
                cv, (c1, c2) = _knn.count_prod(sp[2], rv, [sp[0], sp[1]], [r1, r2], strict,
                                               theiler)
                V = inside(v, rv) & ~W
                assert np.array_equal(cv, V.sum(1))
                assert np.array_equal(c1, (V & inside(u1, r1)).sum(1))
                assert np.array_equal(c2, (V & inside(u2, r2)).sum(1))
                assert np.array_equal(_knn.count2(sp[0], sp[2], r1, rv, strict, theiler), c1)
    with pytest.raises(ValueError, match="same time stamps"):
        _knn.count2(_knn.KnnSpace(u1[:, None].copy()),
                    _knn.KnnSpace(v[:, None].copy(), None, times), r1, rv)


def test_parallel_builds_give_the_same_spaces():
    # spaces_1d (one engine unit per space) and the subtree tasks of large
    # trees: the same answers as the one-by-one builds, for any thread count
    rng = np.random.default_rng(9)
    n = 40_000
    cols = [rng.standard_normal(n), rng.exponential(size=n), np.round(rng.random(n), 3)]
    r = np.abs(rng.standard_normal(n)) * 0.01
    old = ib.get_num_threads()
    try:
        res = []
        for t in (1, 2):
            ib.set_num_threads(t)
            sps = _knn.spaces_1d(cols)
            one = [_knn.KnnSpace(np.ascontiguousarray(c[:, None])) for c in cols]
            for a, b in zip(sps, one):
                assert (a.n, a.d, a.groups) == (b.n, b.d, b.groups)
                assert np.array_equal(a.count(r), b.count(r))
                assert np.array_equal(a.knn(3, 0, 2), b.knn(3, 0, 2))
            x = np.column_stack(cols)
            sp = _knn.KnnSpace(x, (1, 1, 1))
            eps = sp.knn(4)
            res.append((eps.tobytes(), sp.count(eps).tobytes()))
        G, D = _pair(x[:2000], (1, 1, 1), MAX)
        # the large tree's answers for the first points against brute force
        # on the whole sample
        for i in range(0, 2000, 97):
            d = np.max(np.abs(x - x[i]), axis=1)
            d[i] = np.inf
            assert np.frombuffer(res[0][0])[i] == np.sort(d)[3]
    finally:
        ib.set_num_threads(old)
    assert res[0] == res[1]
    with pytest.raises(ValueError, match="one length"):
        _knn.spaces_1d([cols[0], cols[1][:5]])
