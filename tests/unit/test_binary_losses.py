"""binary_cross_entropy and binary_focal_loss.

PyTorch CPU (torch==2.13.0) is the reference for values and (autograd)
gradients; tests/data/torch_binary.json stores torch's answers for a fixed
set of cases so that machines without torch still check them.
"""
import json
import os

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import infobits as ib

inf, nan = np.inf, np.nan
RNG = np.random.default_rng(4242)
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "torch_binary.json")
REDUCTIONS = ("mean", "sum", "none")


def ib_call(kind, x, y, reduction, weight=None, pos_weight=None, gamma=2.0,
            alpha=0.25, return_grad=True):
    if kind == "focal":
        return ib.binary_focal_loss(x, y, gamma=gamma, alpha=alpha, reduction=reduction,
                                    return_grad=return_grad)
    return ib.binary_cross_entropy(x, y, from_logits=(kind == "logits"), weight=weight,
                                   pos_weight=pos_weight, reduction=reduction,
                                   return_grad=return_grad)


# ------------------------------------------------------ stored fixture --

def load_cases():
    with open(DATA) as f:
        return json.load(f)["cases"]


@pytest.mark.parametrize("case", load_cases(),
                         ids=lambda c: f"{c['kind']}-{c['reduction']}")
def test_against_stored_torch_values(case):
    x = np.array(case["x"])
    y = np.array(case["y"])
    kw = {}
    if case["kind"] == "focal":
        kw = dict(gamma=case["gamma"], alpha=case["alpha"])
    loss, grad = ib_call(case["kind"], x, y, case["reduction"], weight=case["weight"],
                         pos_weight=case["pos_weight"], **kw)
    assert_allclose(loss, np.array(case["loss"]), rtol=1e-10, atol=1e-15)
    assert_allclose(grad, np.array(case["grad"]), rtol=1e-10, atol=1e-15)
    assert grad.shape == x.shape


def test_fixture_covers_every_variant():
    cases = load_cases()
    seen = {(c["kind"], c["reduction"], c["weight"] is not None, c["pos_weight"] is not None)
            for c in cases}
    for red in REDUCTIONS:
        assert ("prob", red, True, False) in seen
        assert ("logits", red, True, True) in seen
        assert ("logits", red, False, True) in seen
        assert ("focal", red, False, False) in seen


# ----------------------------------------------------------- live torch --

def torch_focal(x, y, gamma, alpha, reduction):
    import torch
    import torch.nn.functional as F
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha is not None and alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def torch_ref(kind, x, y, reduction, weight=None, pos_weight=None, gamma=2.0, alpha=0.25):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64)
    wt = None if weight is None else torch.tensor(weight, dtype=torch.float64)
    pt = None if pos_weight is None else torch.tensor(pos_weight, dtype=torch.float64)
    if kind == "prob":
        out = F.binary_cross_entropy(xt, yt, weight=wt, reduction=reduction)
    elif kind == "logits":
        out = F.binary_cross_entropy_with_logits(xt, yt, weight=wt, pos_weight=pt,
                                                 reduction=reduction)
    else:
        out = torch_focal(xt, yt, gamma, alpha, reduction)
    out.sum().backward()
    return out.detach().numpy(), xt.grad.numpy()


SHAPES = [(7,), (5, 4), (3, 2, 6), (1,), (64, 10)]


def make_inputs(kind, shape, soft):
    if kind == "prob":
        x = RNG.uniform(0.02, 0.98, shape)
    else:
        x = RNG.standard_normal(shape) * 3
    y = RNG.uniform(0, 1, shape) if soft else RNG.integers(0, 2, shape).astype(float)
    return x, y


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("soft", [False, True])
def test_bce_matches_torch(shape, reduction, soft):
    pytest.importorskip("torch")
    for kind in ("prob", "logits"):
        x, y = make_inputs(kind, shape, soft)
        wants = [dict(), dict(weight=RNG.uniform(0, 2, shape)),
                 dict(weight=RNG.uniform(0, 2, shape[-1:]))]
        if kind == "logits":
            wants += [dict(pos_weight=RNG.uniform(0.2, 3, shape[-1:])),
                      dict(pos_weight=RNG.uniform(0.2, 3, shape[-1:]),
                           weight=RNG.uniform(0, 2, shape)),
                      dict(pos_weight=RNG.uniform(0.2, 3, shape))]
        for kw in wants:
            wl, wg = torch_ref(kind, x, y, reduction, **kw)
            loss, grad = ib_call(kind, x, y, reduction, **kw)
            assert_allclose(loss, wl, rtol=1e-10, atol=1e-300)
            assert_allclose(grad, wg, rtol=1e-10, atol=1e-300)
            assert np.shape(loss) == np.shape(wl)
            assert_allclose(ib_call(kind, x, y, reduction, return_grad=False, **kw), wl,
                            rtol=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("soft", [False, True])
def test_focal_matches_torch(shape, reduction, soft):
    pytest.importorskip("torch")
    x, y = make_inputs("logits", shape, soft)
    for gamma, alpha in ((2.0, 0.25), (0.0, 0.25), (1.0, None), (0.5, 0.9), (2.7, -1.0),
                         (5.0, 0.0), (2.0, 1.0)):
        wl, wg = torch_ref("focal", x, y, reduction, gamma=gamma, alpha=alpha)
        loss, grad = ib_call("focal", x, y, reduction, gamma=gamma, alpha=alpha)
        assert_allclose(loss, wl, rtol=1e-10, atol=1e-300)
        assert_allclose(grad, wg, rtol=1e-10, atol=1e-300)


def test_float32_matches_torch():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F
    x = (RNG.standard_normal((50, 8)) * 3).astype(np.float32)
    p = RNG.uniform(0.02, 0.98, (50, 8)).astype(np.float32)
    y = RNG.integers(0, 2, (50, 8)).astype(np.float32)
    for kind, inp in (("prob", p), ("logits", x), ("focal", x)):
        wl, wg = torch_ref(kind, inp.astype(np.float64), y.astype(np.float64), "none")
        loss, grad = ib_call(kind, inp, y, "none")
        assert loss.dtype == np.float32 and grad.dtype == np.float32
        assert_allclose(loss, wl, rtol=2e-6, atol=1e-7)
        assert_allclose(grad, wg, rtol=2e-6, atol=1e-7)
        m, gm = ib_call(kind, inp, y, "mean")
        assert isinstance(m, np.float64)
        assert gm.dtype == np.float32
        assert_allclose(m, wl.mean(), rtol=1e-6)
    # torch float32 agrees too
    t = F.binary_cross_entropy_with_logits(torch.from_numpy(x), torch.from_numpy(y))
    assert_allclose(ib.binary_cross_entropy(x, y, from_logits=True), t.item(), rtol=1e-5)


# ---------------------------------------------------- finite differences --

def fd_grad(f, x, h):
    g = np.empty_like(x)
    flat = x.ravel()
    gf = g.ravel()
    for i in range(flat.size):
        xp = flat.copy()
        xm = flat.copy()
        xp[i] += h
        xm[i] -= h
        gf[i] = (f(xp.reshape(x.shape)) - f(xm.reshape(x.shape))) / (2 * h)
    return g


FD_CASES = [
    ("prob", {}), ("prob", {"weight": [0.5, 2.0, 1.5]}), ("prob", {"pos_weight": [2.0, 0.5, 1.0]}),
    ("logits", {}), ("logits", {"weight": [0.5, 2.0, 1.5], "pos_weight": [3.0, 0.3, 1.0]}),
    ("focal", {"gamma": 2.0, "alpha": 0.25}), ("focal", {"gamma": 0.0, "alpha": None}),
    ("focal", {"gamma": 1.0, "alpha": 0.7}), ("focal", {"gamma": 0.5, "alpha": -1}),
    ("focal", {"gamma": 3.3, "alpha": 0.1}),
]


@pytest.mark.parametrize("kind,kw", FD_CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("soft", [False, True])
def test_gradients_finite_differences(kind, kw, reduction, soft):
    x, y = make_inputs(kind, (4, 3), soft)
    if kind == "prob":
        x = RNG.uniform(0.1, 0.9, (4, 3))

    def f(v):
        out = ib_call(kind, v, y, reduction, return_grad=False, **kw)
        return float(np.sum(out))

    _, grad = ib_call(kind, x, y, reduction, **kw)
    assert_allclose(grad, fd_grad(f, x, 1e-6), rtol=1e-6, atol=1e-9)


def test_gradient_of_none_is_gradient_of_sum():
    x, y = make_inputs("logits", (6, 5), True)
    for kind in ("logits", "focal"):
        _, g_none = ib_call(kind, x, y, "none")
        _, g_sum = ib_call(kind, x, y, "sum")
        _, g_mean = ib_call(kind, x, y, "mean")
        assert_array_equal(g_none, g_sum)
        assert_allclose(g_mean, g_sum / x.size, rtol=1e-15)


# --------------------------------------------------- edges and overflow --

def test_bce_logits_extremes():
    x = np.array([1e300, -1e300, inf, -inf, 1e300, -1e300, inf, -inf, 800.0, -800.0, 0.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    loss, grad = ib.binary_cross_entropy(x, y, from_logits=True, reduction="none",
                                         return_grad=True)
    assert_array_equal(loss, [0, 0, 0, 0, 1e300, 1e300, inf, inf, 800.0, 800.0, np.log(2)])
    assert_array_equal(grad, [0, 0, 0, 0, 1, -1, 1, -1, 1, -1, -0.5])
    # soft target with infinite logit: infinite loss, defined gradient
    loss, grad = ib.binary_cross_entropy([inf, -inf], [0.5, 0.5], from_logits=True,
                                         reduction="none", return_grad=True)
    assert_array_equal(loss, [inf, inf])
    assert_array_equal(grad, [0.5, -0.5])
    # pos_weight with infinite logits
    loss = ib.binary_cross_entropy([-inf, inf], [1.0, 0.0], from_logits=True,
                                   pos_weight=[0.0, 2.0], reduction="none")
    assert_array_equal(loss, [0.0, inf])
    # a mean over finite huge logits stays finite
    assert ib.binary_cross_entropy([1e300, -1e300], [1.0, 0.0], from_logits=True) == 0.0


def test_nan_propagates():
    loss, grad = ib.binary_cross_entropy([nan, 0.0, 1.0], [1.0, nan, 0.0], from_logits=True,
                                         reduction="none", return_grad=True)
    assert np.isnan(loss[:2]).all() and np.isfinite(loss[2])
    assert np.isnan(grad[:2]).all()
    assert np.isnan(ib.binary_cross_entropy([0.5, nan], [1.0, 0.0]))
    assert np.isnan(ib.binary_focal_loss([nan, 1.0], [1.0, 0.0]))
    assert np.isnan(ib.binary_cross_entropy([0.5, 0.5], [1.0, nan]))


def test_bce_probability_edges_no_clamping():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    loss, grad = ib.binary_cross_entropy(p, y, reduction="none", return_grad=True)
    assert_array_equal(loss, [inf, inf, 0.0, 0.0, np.log(2)])
    assert_array_equal(grad, [-inf, inf, 1.0, -1.0, 0.0])
    assert ib.binary_cross_entropy([0.0, 0.5], [1.0, 1.0]) == inf
    # weight 0 silences an infinite term
    assert ib.binary_cross_entropy([0.0, 0.5], [1.0, 1.0], weight=[0.0, 1.0]) == np.log(2) / 2
    # tiny probabilities keep full precision (log1p), unlike log(1 - p)
    assert_allclose(ib.binary_cross_entropy([1e-20], [0.0]), 1e-20, rtol=1e-15)


def test_focal_extremes():
    x = np.array([1e300, -1e300, inf, -inf, inf, -inf, 60.0, -60.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0])
    for gamma in (0.0, 0.5, 1.0, 2.0, 3.5):
        loss, grad = ib.binary_focal_loss(x, y, gamma=gamma, alpha=0.25, reduction="none",
                                          return_grad=True)
        assert_array_equal(loss[:4], 0.0)
        assert_array_equal(grad[:4], 0.0)
        assert_array_equal(loss[4:6], inf)
        assert np.isfinite(grad).all()
        assert_allclose(loss[6:], [0.75 * 60.0, 0.25 * 60.0], rtol=1e-12)
        assert_allclose(grad[4:], [0.75, -0.25, 0.75, -0.25], rtol=1e-12)


# ------------------------------------------------------ shapes and dtypes --

def test_dtypes_and_layouts():
    x = RNG.standard_normal((6, 5))
    y = RNG.integers(0, 2, (6, 5)).astype(float)
    ref_l, ref_g = ib.binary_cross_entropy(x, y, from_logits=True, reduction="none",
                                           return_grad=True, pos_weight=np.arange(1, 6))
    for xv, yv in ((np.asfortranarray(x), y), (x, np.asfortranarray(y)),
                   (np.flip(np.flip(x).copy()), y)):
        l, g = ib.binary_cross_entropy(xv, yv, from_logits=True, reduction="none",
                                       return_grad=True, pos_weight=np.arange(1, 6))
        assert_array_equal(l, ref_l)
        assert_array_equal(g, ref_g)
    big = np.zeros((12, 10))
    big[::2, ::2] = x
    l, g = ib.binary_cross_entropy(big[::2, ::2], y, from_logits=True, reduction="none",
                                   return_grad=True, pos_weight=np.arange(1, 6))
    assert_array_equal(l, ref_l)
    ro = x.copy()
    ro.flags.writeable = False
    assert_array_equal(ib.binary_cross_entropy(ro, y, from_logits=True, reduction="none",
                                               pos_weight=np.arange(1, 6)), ref_l)
    # integer / bool targets, float16 input -> float32
    assert_allclose(ib.binary_cross_entropy(x, y.astype(int), from_logits=True),
                    ib.binary_cross_entropy(x, y, from_logits=True), rtol=1e-15)
    assert_allclose(ib.binary_cross_entropy(x, y.astype(bool), from_logits=True),
                    ib.binary_cross_entropy(x, y, from_logits=True), rtol=1e-15)
    l16, g16 = ib.binary_cross_entropy(x.astype(np.float16), y, from_logits=True,
                                       reduction="none", return_grad=True)
    assert l16.dtype == np.float32 and g16.dtype == np.float32
    # scalar input
    l0, g0 = ib.binary_cross_entropy(0.5, 1.0, reduction="none", return_grad=True)
    assert np.ndim(l0) == 0 and np.ndim(g0) == 0
    assert_allclose(l0, np.log(2))
    assert_allclose(g0, -2.0)
    # inputs are not modified
    x0, y0 = x.copy(), y.copy()
    ib.binary_focal_loss(x, y, return_grad=True)
    assert_array_equal(x, x0)
    assert_array_equal(y, y0)


def test_empty_input():
    e = np.zeros((0, 3))
    loss, grad = ib.binary_cross_entropy(e, e, return_grad=True)
    assert loss == 0.0 and isinstance(loss, np.float64) and grad.shape == (0, 3)
    assert ib.binary_focal_loss(e, e, reduction="sum") == 0.0
    assert ib.binary_cross_entropy(e, e, reduction="none").shape == (0, 3)


def test_bad_arguments():
    x = np.zeros((3, 2))
    with pytest.raises(ValueError, match="reduction"):
        ib.binary_cross_entropy(x + 0.5, x, reduction="avg")
    with pytest.raises(ValueError, match="reduction"):
        ib.binary_focal_loss(x, x, reduction=None)
    with pytest.raises(ValueError, match=r"y has shape \(2, 3\).*y_hat has shape \(3, 2\)"):
        ib.binary_cross_entropy(x + 0.5, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="logits has shape"):
        ib.binary_focal_loss(x, np.zeros(2))
    with pytest.raises(TypeError, match="y_hat"):
        ib.binary_cross_entropy(np.zeros(3, dtype=complex), np.zeros(3))
    with pytest.raises(TypeError, match="y must be"):
        ib.binary_cross_entropy(np.zeros(3), np.zeros(3, dtype=complex))
    with pytest.raises(TypeError, match="logits"):
        ib.binary_focal_loss(np.array(["a", "b"]), np.zeros(2))
    with pytest.raises(ValueError, match="weight"):
        ib.binary_cross_entropy(x, x, weight=np.ones(3))
    with pytest.raises(ValueError, match="pos_weight"):
        ib.binary_cross_entropy(x, x, from_logits=True, pos_weight=np.ones(3))
    with pytest.raises(TypeError, match="weight"):
        ib.binary_cross_entropy(x, x, weight=np.ones(2, dtype=complex))
    with pytest.raises(ValueError, match="gamma"):
        ib.binary_focal_loss(x, x, gamma=-1.0)
    with pytest.raises(TypeError, match="gamma"):
        ib.binary_focal_loss(x, x, gamma="2")
    with pytest.raises(TypeError, match="alpha"):
        ib.binary_focal_loss(x, x, alpha="0.25")


def test_thread_count_bitwise():
    n = 400_003
    x = RNG.standard_normal(n) * 4
    p = RNG.uniform(0.01, 0.99, n)
    y = RNG.uniform(0, 1, n)
    old = ib.get_num_threads()
    res = []
    try:
        for nt in (1, 2):
            ib.set_num_threads(nt)
            res.append([
                ib.binary_cross_entropy(x, y, from_logits=True, return_grad=True),
                ib.binary_cross_entropy(p, y, reduction="sum", return_grad=True),
                ib.binary_focal_loss(x, y, gamma=1.7, return_grad=True),
                ib.binary_focal_loss(x.astype(np.float32), y, return_grad=True),
            ])
    finally:
        ib.set_num_threads(old)
    for (l1, g1), (l2, g2) in zip(*res):
        assert l1 == l2
        assert_array_equal(g1, g2)


def test_bce_perfect_prediction_is_plus_zero():
    import infobits as ib

    r = ib.binary_cross_entropy([1.0, 0.0], [1.0, 0.0], reduction="none")
    assert np.all(r == 0.0) and not np.any(np.signbit(r))
