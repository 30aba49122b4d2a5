"""Tests for the multiclass losses: cross_entropy, nll_loss,
focal_loss, perplexity.

PyTorch (CPU, torch==2.13.0) is the reference where it is installed; the
stored fixture tests/data/torch_losses.json (written by
tests/data/make_torch_losses.py) keeps a machine without torch checking
torch's numbers.  Gradients are also checked by central finite differences.
"""
import importlib.util
import json
import math
import pathlib

import numpy as np
import pytest

import infobits as ib
from infobits import _config

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
_spec = importlib.util.spec_from_file_location("make_torch_losses",
                                               DATA / "make_torch_losses.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64,
              np.uint8, np.uint16, np.uint32, np.uint64]


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def make_batch(N=37, K=11, seed=0, ignore=None):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, K)) * 2.0
    y = rng.integers(0, K, size=N)
    if ignore is not None:
        y[rng.random(N) < 0.3] = ignore
        y[0] = 0 if ignore != 0 else 1      # at least one kept label
    soft = rng.random((N, K))
    soft /= soft.sum(axis=1, keepdims=True)
    w = rng.random(K) * 2.0 + 0.1
    return x, y, soft, w


# --------------------------------------------------------------------------
# the d2l chapter's examples


D2L_PREDS = np.array([[0.3, 0.6, 0.1], [0.2, 0.3, 0.5]])
D2L_LABELS = np.array([0, 2])


def test_d2l_cross_entropy():
    r = ib.cross_entropy(D2L_PREDS, D2L_LABELS)
    assert isinstance(r, np.float64)
    assert round(float(r), 5) == 0.94856
    assert r == pytest.approx(-(math.log(0.3) + math.log(0.5)) / 2, rel=1e-14)


def test_d2l_nll_equals_cross_entropy():
    a = ib.nll_loss(np.log(D2L_PREDS), D2L_LABELS)
    b = ib.cross_entropy(D2L_PREDS, D2L_LABELS)
    c = ib.cross_entropy(np.log(D2L_PREDS), D2L_LABELS, from_logits=True)
    assert round(float(a), 5) == 0.94856
    assert a == pytest.approx(b, rel=1e-14)
    assert c == pytest.approx(b, rel=1e-14)


def test_d2l_torch_logits_example():
    # The d2l chapter's PyTorch example: logits [[2, 1, .5], [.5, 2.5, 1]], targets [0, 1]
    logits = np.array([[2.0, 1.0, 0.5], [0.5, 2.5, 1.0]])
    y = np.array([0, 1])
    lse = np.log(np.exp(logits).sum(1))
    expect = np.mean(lse - logits[[0, 1], y])
    assert ib.cross_entropy(logits, y, from_logits=True) == pytest.approx(expect, rel=1e-14)
    # gamma = 0 focal loss is the cross-entropy
    assert ib.focal_loss(logits, y, gamma=0.0) == pytest.approx(expect, rel=1e-14)


def test_cross_entropy_of_distributions_in_bits():
    p = np.array([0.1, 0.5, 0.1, 0.3])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    h = ib.cross_entropy(q, p, base=2, reduction="sum")
    assert h == pytest.approx(2.0, rel=1e-14)
    q2 = np.array([0.2, 0.4, 0.3, 0.1])
    expect = -np.sum(p * np.log2(q2))
    assert ib.cross_entropy(q2, p, base=2) == pytest.approx(expect, rel=1e-14)
    assert ib.cross_entropy(q2, p, base="bits", reduction="sum") == pytest.approx(expect, rel=1e-14)
    # H(P, Q) = H(P) + KL(P || Q)
    assert expect == pytest.approx(ib.entropy(p) + ib.kl_divergence(p, q2), rel=1e-13)


# --------------------------------------------------------------------------
# the stored torch fixture (always runs)


def _fixture_cases():
    doc = json.loads((DATA / "torch_losses.json").read_text())
    return doc["cases"]


FIXTURE = _fixture_cases()


@pytest.mark.parametrize("case", FIXTURE,
                         ids=[f"{i}-{c['function']}" for i, c in enumerate(FIXTURE)])
def test_stored_torch_values(case):
    fn = getattr(ib, case["function"])
    kw = dict(case["kwargs"])
    x = np.array(case["y_hat"])
    y = np.array(case["y"])
    if case["grad"] is None:
        loss = fn(x, y, **kw)
    else:
        loss, grad = fn(x, y, return_grad=True, **kw)
        np.testing.assert_allclose(grad, case["grad"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(loss, case["loss"], rtol=1e-10, atol=1e-14)


def test_fixture_matches_live_torch():
    pytest.importorskip("torch")
    for case in FIXTURE:
        loss, grad = ref.reference(case["function"], np.array(case["y_hat"]),
                                   np.array(case["y"]), case["kwargs"])
        np.testing.assert_allclose(loss, case["loss"], rtol=1e-12)
        if grad is not None:
            np.testing.assert_allclose(grad, case["grad"], rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------
# live torch comparisons


def _torch_ce(x, y, *, from_logits, weight, ignore_index, eps, reduction):
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    if y.dtype.kind == "f":
        yt = torch.tensor(y, dtype=torch.float64)
    else:
        yt = torch.tensor(y.astype(np.int64))
    wt = None if weight is None else torch.tensor(weight, dtype=torch.float64)
    out = ref.torch_cross_entropy(xt, yt, from_logits=from_logits, weight=wt,
                                  ignore_index=ignore_index,
                                  label_smoothing=eps, reduction=reduction)
    out.sum().backward()
    return out.detach().numpy(), xt.grad.numpy()


REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("eps", [0.0, 0.2])
@pytest.mark.parametrize("ignore_index", [None, -100, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("from_logits", [True, False])
def test_cross_entropy_labels_vs_torch(from_logits, weighted, ignore_index, eps,
                                       reduction):
    x, y, _, w = make_batch(ignore=ignore_index, seed=1)
    weight = w if weighted else None
    inp = x if from_logits else softmax(x)
    exp_loss, exp_grad = _torch_ce(inp, y, from_logits=from_logits, weight=weight,
                                   ignore_index=ignore_index, eps=eps,
                                   reduction=reduction)
    loss, grad = ib.cross_entropy(inp, y, from_logits=from_logits, weight=weight,
                                  ignore_index=ignore_index, label_smoothing=eps,
                                  reduction=reduction, return_grad=True)
    np.testing.assert_allclose(loss, exp_loss, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(grad, exp_grad, rtol=1e-10, atol=1e-15)
    # without return_grad: the same loss
    loss2 = ib.cross_entropy(inp, y, from_logits=from_logits, weight=weight,
                             ignore_index=ignore_index, label_smoothing=eps,
                             reduction=reduction)
    np.testing.assert_array_equal(loss2, loss)
    # float32: computed natively, close to the float64 reference of the same
    # float32 values, and to torch's own float32 result
    inp32 = inp.astype(np.float32)
    e64, g64 = _torch_ce(inp32.astype(np.float64), y, from_logits=from_logits,
                         weight=weight, ignore_index=ignore_index, eps=eps,
                         reduction=reduction)
    l32, g32 = ib.cross_entropy(inp32, y, from_logits=from_logits, weight=weight,
                                ignore_index=ignore_index, label_smoothing=eps,
                                reduction=reduction, return_grad=True)
    assert g32.dtype == np.float32
    if reduction == "none":
        assert l32.dtype == np.float32
    else:
        assert isinstance(l32, np.float64)
    np.testing.assert_allclose(l32, e64, rtol=1e-6)
    np.testing.assert_allclose(g32, g64, rtol=1e-5, atol=1e-7 * np.abs(g64).max())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("eps", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("from_logits", [True, False])
def test_cross_entropy_soft_vs_torch(from_logits, weighted, eps, reduction):
    x, _, soft, w = make_batch(seed=2)
    weight = w if weighted else None
    inp = x if from_logits else softmax(x)
    exp_loss, exp_grad = _torch_ce(inp, soft, from_logits=from_logits,
                                   weight=weight, ignore_index=None, eps=eps,
                                   reduction=reduction)
    loss, grad = ib.cross_entropy(inp, soft, from_logits=from_logits, weight=weight,
                                  label_smoothing=eps, reduction=reduction,
                                  return_grad=True)
    np.testing.assert_allclose(loss, exp_loss, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(grad, exp_grad, rtol=1e-10, atol=1e-15)
    l32, g32 = ib.cross_entropy(inp.astype(np.float32), soft.astype(np.float32),
                                from_logits=from_logits, weight=weight,
                                label_smoothing=eps, reduction=reduction,
                                return_grad=True)
    e64, g64 = _torch_ce(inp.astype(np.float32).astype(np.float64),
                         soft.astype(np.float32).astype(np.float64),
                         from_logits=from_logits, weight=weight, ignore_index=None,
                         eps=eps, reduction=reduction)
    assert g32.dtype == np.float32
    np.testing.assert_allclose(l32, e64, rtol=1e-6)
    np.testing.assert_allclose(g32, g64, rtol=1e-5, atol=1e-7 * np.abs(g64).max())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_float32_vs_torch_float32(reduction):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x, y, _, w = make_batch(seed=3, ignore=-100)
    x32 = x.astype(np.float32)
    xt = torch.tensor(x32, requires_grad=True)
    out = F.cross_entropy(xt, torch.tensor(y), weight=torch.tensor(w, dtype=torch.float32),
                          ignore_index=-100, label_smoothing=0.1, reduction=reduction)
    out.sum().backward()
    loss, grad = ib.cross_entropy(x32, y, from_logits=True, weight=w, ignore_index=-100,
                                  label_smoothing=0.1, reduction=reduction,
                                  return_grad=True)
    np.testing.assert_allclose(loss, out.detach().numpy(), rtol=2e-5)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("eps", [0.0, 0.2])
def test_float32_logits_accuracy_in_ulps(eps):
    # float32 logits are computed in float32 (exp(x - max) with the
    # difference taken exactly) with float64 sums: the gradient stays within
    # 2 float32 ulps of the float64 reference of the same float32 values
    # (exp(fl(x - max)) would be off by up to |x - max| * 2^-24 relative,
    # ~60 ulps here), the per-row losses within 1 ulp.  Rows shifted by
    # large offsets make x - max inexact in float32.
    rng = np.random.default_rng(21)
    N, K = 120, 700
    x = rng.normal(0, 10, (N, K)) + rng.choice([0.0, 1000.0, -3000.0], (N, 1))
    x32 = x.astype(np.float32)
    y = rng.integers(0, K, N)
    x64 = x32.astype(np.float64)
    z = x64 - x64.max(axis=1, keepdims=True)
    S = np.exp(z).sum(axis=1, keepdims=True)
    logq = z - np.log(S)
    t = np.full((N, K), eps / K)
    t[np.arange(N), y] += 1.0 - eps
    rows_ref = -(t * logq).sum(axis=1)
    g_ref = (np.exp(logq) - t) / N

    rows = ib.cross_entropy(x32, y, from_logits=True, label_smoothing=eps,
                            reduction="none")
    mean, g = ib.cross_entropy(x32, y, from_logits=True, label_smoothing=eps,
                               return_grad=True)
    assert rows.dtype == np.float32 and g.dtype == np.float32

    def ulps(a, b, scale):
        return np.abs(a.astype(np.float64) - b) / np.spacing(np.abs(scale).astype(np.float32))

    assert ulps(rows, rows_ref, rows_ref).max() <= 1.0
    # g = (softmax - t) / N: in ulps of the larger term (the difference
    # cancels where softmax ~ t, in any precision)
    assert ulps(g, g_ref, np.maximum(np.exp(logq), t) / N).max() <= 2.0
    assert mean == pytest.approx(rows_ref.mean(), rel=1e-7)


def test_cross_entropy_wide_rows_vs_torch():
    # K spans several column blocks of the kernel (256 columns each).
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    rng = np.random.default_rng(4)
    x = rng.normal(size=(70, 700)) * 3
    y = rng.integers(0, 700, 70)
    w = rng.random(700) + 0.5
    xt = torch.tensor(x, requires_grad=True)
    out = F.cross_entropy(xt, torch.tensor(y), weight=torch.tensor(w), label_smoothing=0.05)
    out.backward()
    loss, grad = ib.cross_entropy(x, y, from_logits=True, weight=w, label_smoothing=0.05,
                                  return_grad=True)
    np.testing.assert_allclose(loss, out.item(), rtol=1e-10)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-10, atol=1e-18)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [None, -100, 3])
def test_nll_loss_vs_torch(ignore_index, weighted, reduction):
    torch = pytest.importorskip("torch")
    x, y, _, w = make_batch(seed=5, ignore=ignore_index)
    lp = x - np.log(np.exp(x).sum(1, keepdims=True))
    weight = w if weighted else None
    exp = ref.torch_nll(torch.tensor(lp), torch.tensor(y),
                        weight=None if weight is None else torch.tensor(weight),
                        ignore_index=ignore_index, reduction=reduction).numpy()
    r = ib.nll_loss(lp, y, weight=weight, ignore_index=ignore_index, reduction=reduction)
    np.testing.assert_allclose(r, exp, rtol=1e-12, atol=1e-15)
    r32 = ib.nll_loss(lp.astype(np.float32), y, weight=weight,
                      ignore_index=ignore_index, reduction=reduction)
    np.testing.assert_allclose(r32, exp, rtol=1e-6)
    # NLL of log-softmax is the cross-entropy from logits
    ce = ib.cross_entropy(x, y, from_logits=True, weight=weight,
                          ignore_index=ignore_index, reduction=reduction)
    np.testing.assert_allclose(r, ce, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("alpha", [None, 0.25, "vector"])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.0])
@pytest.mark.parametrize("from_logits", [True, False])
def test_focal_loss_vs_torch(from_logits, gamma, alpha, reduction):
    torch = pytest.importorskip("torch")
    x, y, _, w = make_batch(seed=6)
    inp = x if from_logits else softmax(x)
    a = w if isinstance(alpha, str) else alpha
    xt = torch.tensor(inp, requires_grad=True)
    at = torch.tensor(a) if isinstance(alpha, str) else a
    out = ref.torch_focal(xt, torch.tensor(y), gamma=gamma, alpha=at,
                          from_logits=from_logits, reduction=reduction)
    out.sum().backward()
    loss, grad = ib.focal_loss(inp, y, gamma=gamma, alpha=a, from_logits=from_logits,
                               reduction=reduction, return_grad=True)
    np.testing.assert_allclose(loss, out.detach().numpy(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-10, atol=1e-15)
    l32, g32 = ib.focal_loss(inp.astype(np.float32), y, gamma=gamma, alpha=a,
                             from_logits=from_logits, reduction=reduction,
                             return_grad=True)
    assert g32.dtype == np.float32
    np.testing.assert_allclose(l32, out.detach().numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("from_logits", [True, False])
def test_perplexity_vs_torch(from_logits):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x, y, _, _ = make_batch(seed=7, ignore=-1)
    inp = x if from_logits else softmax(x)
    lg = torch.tensor(x if from_logits else np.log(inp))
    exp = math.exp(F.cross_entropy(lg, torch.tensor(y), ignore_index=-1).item())
    r = ib.perplexity(inp, y, from_logits=from_logits, ignore_index=-1)
    assert isinstance(r, np.float64)
    assert r == pytest.approx(exp, rel=1e-10)


def test_one_sample_1d_vs_torch():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x = np.array([0.5, -1.0, 2.0, 0.25])
    xt = torch.tensor(x, requires_grad=True)
    out = F.cross_entropy(xt, torch.tensor(2), label_smoothing=0.1)
    out.backward()
    loss, grad = ib.cross_entropy(x, 2, from_logits=True, label_smoothing=0.1,
                                  return_grad=True)
    assert grad.shape == (4,)
    assert loss == pytest.approx(out.item(), rel=1e-12)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-12)
    t = np.array([0.1, 0.2, 0.3, 0.4])
    xt.grad = None
    out = F.cross_entropy(xt, torch.tensor(t))
    out.backward()
    loss, grad = ib.cross_entropy(x, t, from_logits=True, return_grad=True)
    assert loss == pytest.approx(out.item(), rel=1e-12)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-12)
    r = ib.cross_entropy(x, np.int8(1), from_logits=True, reduction="none")
    assert np.ndim(r) == 0 and r.dtype == np.float64


# --------------------------------------------------------------------------
# finite differences


def _fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        xp = x.copy()
        xm = x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def _total(v):
    return float(np.sum(v))


FD_CASES = [
    ("ce logits labels", dict(from_logits=True)),
    ("ce logits weight+ignore+smoothing", dict(from_logits=True, weight=True,
                                               ignore_index=-1, label_smoothing=0.2)),
    ("ce logits soft+weight+smoothing", dict(from_logits=True, soft=True, weight=True,
                                             label_smoothing=0.1)),
    ("ce probs labels", dict(from_logits=False)),
    ("ce probs weight+ignore+smoothing", dict(from_logits=False, weight=True,
                                              ignore_index=-1, label_smoothing=0.2)),
    ("ce probs soft+weight", dict(from_logits=False, soft=True, weight=True)),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,opts", FD_CASES, ids=[c[0] for c in FD_CASES])
def test_cross_entropy_finite_differences(name, opts, reduction):
    opts = dict(opts)
    x, y, soft, w = make_batch(N=6, K=5, seed=8,
                               ignore=opts.get("ignore_index"))
    from_logits = opts.pop("from_logits")
    target = soft if opts.pop("soft", False) else y
    if opts.pop("weight", False):
        opts["weight"] = w
    inp = x if from_logits else softmax(x) + 0.05   # away from 0 for the FD
    kw = dict(opts, from_logits=from_logits, reduction=reduction, base=3.0)
    _, grad = ib.cross_entropy(inp, target, return_grad=True, **kw)
    fd = _fd_grad(lambda v: _total(ib.cross_entropy(v, target, **kw)), inp)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("gamma,alpha", [(2.0, None), (0.5, 0.3), (1.0, "vector"),
                                         (0.0, None)])
def test_focal_finite_differences(gamma, alpha, from_logits, reduction):
    x, y, _, w = make_batch(N=6, K=5, seed=9)
    a = w if isinstance(alpha, str) else alpha
    inp = x if from_logits else softmax(x) * 0.8 + 0.04   # away from 0
    kw = dict(gamma=gamma, alpha=a, from_logits=from_logits, reduction=reduction)
    _, grad = ib.focal_loss(inp, y, return_grad=True, **kw)
    fd = _fd_grad(lambda v: _total(ib.focal_loss(v, y, **kw)), inp)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------
# edge values


def test_inf_logits():
    inf = np.inf
    x = np.array([[inf, 0.0, 1.0],       # label at the only +inf: p = 1
                  [inf, 0.0, inf],       # two +inf entries: p = 1/2
                  [inf, 0.0, 1.0],       # label at a finite entry: p = 0
                  [-inf, 0.0, 1.0]])     # label logit -inf: p = 0
    y = np.array([0, 2, 1, 0])
    loss, grad = ib.cross_entropy(x, y, from_logits=True, reduction="none",
                                  return_grad=True)
    np.testing.assert_array_equal(loss[[0, 2, 3]], [0.0, inf, inf])
    assert loss[1] == pytest.approx(math.log(2.0), rel=1e-14)
    np.testing.assert_array_equal(grad[0], [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(grad[1], [0.5, 0.0, -0.5])
    np.testing.assert_array_equal(grad[2], [1.0, -1.0, 0.0])
    s = softmax(np.array([0.0, 1.0]))
    np.testing.assert_allclose(grad[3], [-1.0, s[0], s[1]], rtol=1e-13)
    assert np.all(np.isfinite(grad))
    assert ib.cross_entropy(x, y, from_logits=True) == inf
    assert ib.focal_loss(x[3:], y[3:]) == inf


def test_all_neg_inf_row_and_nan():
    x = np.array([[-np.inf, -np.inf, -np.inf], [0.0, np.nan, 1.0], [0.0, 1.0, 2.0]])
    y = np.array([0, 0, 1])
    loss, grad = ib.cross_entropy(x, y, from_logits=True, reduction="none",
                                  return_grad=True)
    assert np.isnan(loss[0]) and np.isnan(loss[1]) and np.isfinite(loss[2])
    assert np.all(np.isnan(grad[:2])) and np.all(np.isfinite(grad[2]))
    assert np.isnan(ib.cross_entropy(x, y, from_logits=True))
    # from probabilities with a class label only the label's probability is read
    assert np.isnan(ib.cross_entropy(np.array([[np.nan, 0.5]]), [0]))
    assert ib.cross_entropy(np.array([[0.5, np.nan]]), [0]) == pytest.approx(math.log(2))
    assert np.isnan(ib.cross_entropy(np.array([[0.5, np.nan]]), [0], label_smoothing=0.1))
    assert np.isnan(ib.focal_loss(x[1:2], y[1:2]))
    assert np.isnan(ib.nll_loss(np.array([[np.nan, 0.0]]), [0]))


def test_huge_finite_logits():
    x = np.array([[1e300, -1e300, 0.0], [1e300, -1e300, 0.0], [1e300, 1e300, 0.0]])
    y = np.array([0, 2, 1])
    loss, grad = ib.cross_entropy(x, y, from_logits=True, reduction="none",
                                  return_grad=True)
    np.testing.assert_allclose(loss, [0.0, 1e300, math.log(2.0)], rtol=1e-14, atol=0)
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad[2], [0.5, -0.5, 0.0])
    x32 = np.array([[3e38, -3e38, 0.0]], dtype=np.float32)
    assert ib.cross_entropy(x32, [1], from_logits=True) == pytest.approx(6e38, rel=1e-6)
    f, g = ib.focal_loss(x, y, return_grad=True)
    assert np.isfinite(f) and np.all(np.isfinite(g))


def test_zero_probability_gives_inf():
    p = np.array([[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]])
    y = np.array([0, 2])
    loss, grad = ib.cross_entropy(p, y, reduction="none", return_grad=True)
    assert loss[0] == np.inf
    assert grad[0, 0] == -np.inf and np.all(grad[0, 1:] == 0.0)
    assert ib.cross_entropy(p, y) == np.inf
    # a zero probability where the target has no mass counts 0 (0 log 0 = 0)
    assert ib.cross_entropy(p, [1, 2], reduction="sum") == pytest.approx(
        -np.log(0.5) - np.log(0.5), rel=1e-14)
    t = np.array([[0.0, 0.5, 0.5], [0.0, 0.0, 1.0]])
    loss, grad = ib.cross_entropy(p, t, reduction="sum", return_grad=True)
    assert np.isfinite(loss) and grad[0, 0] == 0.0
    assert ib.focal_loss(p, y, from_logits=False) == np.inf


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
def test_all_ignored_mean_is_zero(fn, weighted):
    x, _, _, w = make_batch(N=5, K=4)
    y = np.full(5, -100)
    kw = dict(ignore_index=-100, weight=w if weighted else None)
    if fn == "cross_entropy":
        for eps in (0.0, 0.1):
            loss, grad = ib.cross_entropy(x, y, from_logits=True, label_smoothing=eps,
                                          return_grad=True, **kw)
            assert loss == 0.0 and isinstance(loss, np.float64)
            assert np.all(grad == 0.0)
            assert ib.cross_entropy(softmax(x), y, **kw) == 0.0
        assert ib.perplexity(x, y, from_logits=True, ignore_index=-100) == 1.0
    else:
        assert ib.nll_loss(x, y, **kw) == 0.0
    assert getattr(ib, fn)(x, y, reduction="sum", **kw) == 0.0
    np.testing.assert_array_equal(getattr(ib, fn)(x, y, reduction="none", **kw),
                                  np.zeros(5))


def test_empty_batch():
    x = np.zeros((0, 4))
    y = np.zeros(0, dtype=np.int64)
    for red in ("mean", "sum"):
        assert ib.cross_entropy(x, y, from_logits=True, reduction=red) == 0.0
        assert ib.nll_loss(x, y, reduction=red) == 0.0
        assert ib.focal_loss(x, y, reduction=red) == 0.0
    r = ib.cross_entropy(x, y, reduction="none")
    assert r.shape == (0,)
    loss, grad = ib.cross_entropy(x, np.zeros((0, 4)), from_logits=True, return_grad=True)
    assert loss == 0.0 and grad.shape == (0, 4)


def test_ignored_rows_have_zero_gradient_and_loss():
    x, y, _, w = make_batch(ignore=-1, seed=10)
    loss, grad = ib.cross_entropy(x, y, from_logits=True, weight=w, ignore_index=-1,
                                  label_smoothing=0.3, reduction="none",
                                  return_grad=True)
    ig = y == -1
    assert ig.any()
    assert np.all(loss[ig] == 0.0) and np.all(grad[ig] == 0.0)
    assert np.all(loss[~ig] > 0.0)


def test_ignore_index_in_class_range():
    x, y, _, _ = make_batch(seed=11)
    keep = y != 3
    a = ib.cross_entropy(x, y, from_logits=True, ignore_index=3)
    b = ib.cross_entropy(x[keep], y[keep], from_logits=True)
    assert a == pytest.approx(b, rel=1e-14)


# --------------------------------------------------------------------------
# labels of any integer dtype, and out-of-range labels


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_label_dtypes(dtype):
    x, y, _, w = make_batch(seed=12)
    base = ib.cross_entropy(x, y, from_logits=True, weight=w, label_smoothing=0.1)
    r = ib.cross_entropy(x, y.astype(dtype), from_logits=True, weight=w,
                         label_smoothing=0.1)
    assert r == base
    assert ib.nll_loss(x, y.astype(dtype)) == ib.nll_loss(x, y)
    assert ib.focal_loss(x, y.astype(dtype)) == ib.focal_loss(x, y)


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss", "focal_loss", "perplexity"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_label_out_of_range_raises(dtype, fn, reduction):
    x = np.zeros((5, 4))
    y = np.array([0, 1, 2, 3, 1], dtype=dtype)
    y[3] = 9
    kw = {} if fn == "perplexity" else {"reduction": reduction}
    with pytest.raises(IndexError, match=r"label 9 at position 3.*\[0, 4\)"):
        getattr(ib, fn)(x, y, **kw)
    if np.dtype(dtype).kind == "i":
        y[3] = 3
        y[1] = -2
        with pytest.raises(IndexError, match=r"label -2 at position 1"):
            getattr(ib, fn)(x, y, **kw)


def test_label_errors_first_position_and_extremes():
    x = np.zeros((200, 3))
    y = np.zeros(200, dtype=np.int64)
    y[150] = 7
    y[170] = -5
    with pytest.raises(IndexError, match="label 7 at position 150"):
        ib.cross_entropy(x, y, from_logits=True, reduction="sum", return_grad=True)
    y = np.zeros(4, dtype=np.uint64)
    y[2] = np.iinfo(np.uint64).max
    with pytest.raises(IndexError, match=f"label {np.iinfo(np.uint64).max} at position 2"):
        ib.cross_entropy(np.zeros((4, 3)), y, ignore_index=-1)
    with pytest.raises(IndexError, match="label 3, outside"):
        ib.cross_entropy(np.zeros(3), 3, from_logits=True)
    # ignore_index itself is never an error
    y = np.array([0, -100, 2])
    ib.cross_entropy(np.ones((3, 3)) / 3, y, ignore_index=-100)
    with pytest.raises(IndexError, match="label -100 at position 1"):
        ib.cross_entropy(np.ones((3, 3)) / 3, y)


def test_large_out_of_range_multithreaded():
    x = np.zeros((100_000, 4), dtype=np.float32)
    y = np.zeros(100_000, dtype=np.int32)
    y[77_777] = 4
    y[99_000] = 5
    old = ib.get_num_threads()
    try:
        for n in (1, 2):
            ib.set_num_threads(n)
            with pytest.raises(IndexError, match="label 4 at position 77777"):
                ib.cross_entropy(x, y, from_logits=True, return_grad=True)
    finally:
        ib.set_num_threads(old)


# --------------------------------------------------------------------------
# bad arguments


def test_bad_arguments():
    x, y, soft, w = make_batch(N=4, K=3)
    with pytest.raises(ValueError, match="reduction"):
        ib.cross_entropy(x, y, reduction="avg")
    with pytest.raises(ValueError, match="reduction"):
        ib.nll_loss(x, y, reduction=None)
    with pytest.raises(ValueError, match="reduction"):
        ib.focal_loss(x, y, reduction="max")
    with pytest.raises(ValueError, match=r"y has 3 labels but y_hat has 4 rows"):
        ib.cross_entropy(x, y[:3])
    with pytest.raises(ValueError, match=r"soft targets y must have the shape"):
        ib.cross_entropy(x, soft[:, :2])
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        ib.cross_entropy(x, y, weight=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        ib.nll_loss(x, y, weight=np.ones((3, 1)))
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="label_smoothing"):
            ib.cross_entropy(x, y, label_smoothing=bad)
    with pytest.raises(TypeError, match="label_smoothing"):
        ib.cross_entropy(x, y, label_smoothing="0.1")
    with pytest.raises(TypeError, match="y_hat"):
        ib.cross_entropy(x.astype(complex), y)
    with pytest.raises(TypeError, match="log_probs"):
        ib.nll_loss(x.astype(complex), y)
    with pytest.raises(TypeError, match=r"\by\b"):
        ib.cross_entropy(x, soft.astype(complex))
    with pytest.raises(TypeError, match="weight"):
        ib.cross_entropy(x, y, weight=np.ones(3, dtype=complex))
    with pytest.raises(TypeError, match=r"\by\b.*integer class labels"):
        ib.cross_entropy(x, y.astype(float))
    with pytest.raises(TypeError, match=r"\by\b.*integer class labels"):
        ib.nll_loss(x, y.astype(np.float32))
    with pytest.raises(TypeError, match=r"\by\b.*integer class labels"):
        ib.focal_loss(x, y.astype(float))
    with pytest.raises(TypeError, match=r"\by\b"):
        ib.cross_entropy(x, y.astype(bool))
    with pytest.raises(TypeError, match=r"\by\b"):
        ib.cross_entropy(x[0], 1.0)
    with pytest.raises(ValueError, match="ignore_index"):
        ib.cross_entropy(x, soft, ignore_index=-100)
    with pytest.raises(TypeError, match="ignore_index"):
        ib.cross_entropy(x, y, ignore_index=1.5)
    with pytest.raises(ValueError, match="y_hat must have shape"):
        ib.cross_entropy(x[None], y)
    with pytest.raises(ValueError, match="y_hat must have shape"):
        ib.cross_entropy(1.0, 0)
    with pytest.raises(ValueError, match="y must be class labels"):
        ib.nll_loss(x, soft)
    with pytest.raises(ValueError, match="y must be class labels"):
        ib.cross_entropy(x, y[:, None, None])
    with pytest.raises(ValueError, match="base"):
        ib.cross_entropy(x, y, base=1)
    with pytest.raises(ValueError, match="gamma"):
        ib.focal_loss(x, y, gamma=-1.0)
    with pytest.raises(ValueError, match=r"alpha must have shape \(3,\)"):
        ib.focal_loss(x, y, alpha=[0.5, 0.5])
    with pytest.raises(TypeError, match="from_logits"):
        ib.cross_entropy(x, y, from_logits="yes")


# --------------------------------------------------------------------------
# dtypes, layouts, threads, SIMD paths


def test_dtype_policy_and_inputs_unchanged():
    x, y, soft, w = make_batch(seed=13)
    x0, y0, s0 = x.copy(), y.copy(), soft.copy()
    ib.cross_entropy(x, y, from_logits=True, weight=w, return_grad=True)
    ib.cross_entropy(x, soft, from_logits=True, return_grad=True)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(soft, s0)
    _, g16 = ib.cross_entropy(x.astype(np.float16), y, from_logits=True, return_grad=True)
    assert g16.dtype == np.float32
    xi = np.arange(12).reshape(4, 3)
    _, gi = ib.cross_entropy(xi, [0, 1, 2, 0], from_logits=True, return_grad=True)
    assert gi.dtype == np.float64
    l, g = ib.cross_entropy(x.astype(np.float32), soft, from_logits=True, return_grad=True)
    assert g.dtype == np.float64      # float32 with float64 targets promotes
    onehot = np.eye(x.shape[1], dtype=np.int8)[y]
    l1, g1 = ib.cross_entropy(x.astype(np.float32), onehot, from_logits=True,
                              return_grad=True)
    assert g1.dtype == np.float32
    assert l1 == ib.cross_entropy(x.astype(np.float32), y, from_logits=True)


def _layouts(a):
    yield "C", np.ascontiguousarray(a)
    yield "F", np.asfortranarray(a)
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3))
    big[::2, ::3] = a
    yield "strided", big[::2, ::3]
    yield "negrows", np.ascontiguousarray(a[::-1])[::-1]
    yield "negcols", np.ascontiguousarray(a[:, ::-1])[:, ::-1]
    ro = a.copy()
    ro.setflags(write=False)
    yield "readonly", ro
    yield "wider", np.hstack([a, np.zeros((a.shape[0], 5))])[:, : a.shape[1]]


def test_layouts_give_the_same_answer():
    x, y, soft, w = make_batch(seed=14)
    loss, grad = ib.cross_entropy(x, y, from_logits=True, weight=w, label_smoothing=0.1,
                                  reduction="none", return_grad=True)
    sl, sg = ib.cross_entropy(x, soft, from_logits=True, reduction="none",
                              return_grad=True)
    for name, v in _layouts(x):
        l2, g2 = ib.cross_entropy(v, y, from_logits=True, weight=w, label_smoothing=0.1,
                                  reduction="none", return_grad=True)
        np.testing.assert_array_equal(l2, loss, err_msg=name)
        np.testing.assert_array_equal(g2, grad, err_msg=name)
        for tname, t in _layouts(soft):
            l3, g3 = ib.cross_entropy(v, t, from_logits=True, reduction="none",
                                      return_grad=True)
            np.testing.assert_array_equal(l3, sl, err_msg=name + tname)
            np.testing.assert_array_equal(g3, sg, err_msg=name + tname)
    yl = y[::-1].copy()[::-1]
    np.testing.assert_array_equal(ib.nll_loss(x, yl, reduction="none"),
                                  ib.nll_loss(x, y, reduction="none"))
    # broadcast rows (stride 0)
    row = x[0]
    b = np.broadcast_to(row, (6, x.shape[1]))
    lb = ib.cross_entropy(b, np.full(6, y[0]), from_logits=True, reduction="none")
    one = ib.cross_entropy(row, y[0], from_logits=True, reduction="none")
    np.testing.assert_array_equal(lb, np.full(6, one))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bitwise_identical_across_thread_counts(dtype):
    rng = np.random.default_rng(15)
    N, K = 20_000, 40
    x = (rng.normal(size=(N, K)) * 3).astype(dtype)
    y = rng.integers(0, K, size=N)
    y[rng.random(N) < 0.1] = -1
    w = rng.random(K) + 0.5
    soft = rng.random((N, K)).astype(dtype)
    old = ib.get_num_threads()
    results = []
    try:
        for n in (1, 2, 3):
            ib.set_num_threads(n)
            r = [ib.cross_entropy(x, y, from_logits=True, weight=w, ignore_index=-1,
                                  label_smoothing=0.1, return_grad=True),
                 ib.cross_entropy(x, soft, from_logits=True, return_grad=True),
                 ib.focal_loss(x, np.maximum(y, 0), return_grad=True),
                 ib.nll_loss(x, y, ignore_index=-1, reduction="sum"),
                 ib.cross_entropy(x, np.maximum(y, 0), from_logits=True,
                                  return_grad=True)]
            results.append(r)
    finally:
        ib.set_num_threads(old)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            if isinstance(a, tuple):
                assert a[0] == b[0]
                np.testing.assert_array_equal(a[1], b[1])
            else:
                assert a == b


def test_bitwise_identical_across_simd_paths():
    paths = ib._losses._simd_levels()
    if len(paths) < 2:
        pytest.skip("only one SIMD path on this CPU")
    rng = np.random.default_rng(16)
    x = rng.normal(size=(3000, 300)) * 4
    y = rng.integers(0, 300, size=3000)
    old = ib.simd_path()
    results = []
    try:
        for p in paths:
            _config._set_simd_path(p)
            results.append([
                ib.cross_entropy(x, y, from_logits=True, label_smoothing=0.1,
                                 return_grad=True),
                ib.cross_entropy(x.astype(np.float32), y, from_logits=True,
                                 return_grad=True),
                ib.cross_entropy(x, y, from_logits=True, return_grad=True),
                ib.cross_entropy(x, y.astype(np.int32), from_logits=True,
                                 return_grad=True, reduction="sum"),
                ib.cross_entropy(softmax(x), y, label_smoothing=0.2, return_grad=True),
                ib.focal_loss(x, y, return_grad=True),
            ])
    finally:
        _config._set_simd_path(old)
    for r in results[1:]:
        for (a, ga), (b, gb) in zip(results[0], r):
            assert a == b
            np.testing.assert_array_equal(ga, gb)


def test_float32_accumulates_in_float64():
    # 10^6 equal rows: a float32 running sum would drift; float64 does not.
    N, K = 1_000_000, 2
    x = np.zeros((N, K), dtype=np.float32)
    y = np.zeros(N, dtype=np.int8)
    r = ib.cross_entropy(x, y, from_logits=True, reduction="sum")
    assert r == pytest.approx(N * math.log(2.0), rel=1e-12)
    assert ib.cross_entropy(x, y, from_logits=True) == pytest.approx(math.log(2.0), rel=1e-13)


def test_base_scales_loss_and_gradient():
    x, y, _, w = make_batch(seed=17)
    l1, g1 = ib.cross_entropy(x, y, from_logits=True, weight=w, return_grad=True)
    l2, g2 = ib.cross_entropy(x, y, from_logits=True, weight=w, return_grad=True,
                              base=2)
    assert l2 == pytest.approx(l1 / math.log(2), rel=1e-14)
    np.testing.assert_allclose(g2, g1 / math.log(2), rtol=1e-14)
    l3 = ib.cross_entropy(x, y, from_logits=True, reduction="none", base="bans")
    np.testing.assert_allclose(l3, ib.cross_entropy(x, y, from_logits=True,
                                                    reduction="none") / math.log(10),
                               rtol=1e-14)


def test_reduction_relations():
    x, y, soft, w = make_batch(seed=18, ignore=-1)
    none = ib.cross_entropy(x, y, from_logits=True, weight=w, ignore_index=-1,
                            reduction="none")
    s = ib.cross_entropy(x, y, from_logits=True, weight=w, ignore_index=-1,
                         reduction="sum")
    m = ib.cross_entropy(x, y, from_logits=True, weight=w, ignore_index=-1)
    assert s == pytest.approx(none.sum(), rel=1e-14)
    assert m == pytest.approx(s / w[y[y != -1]].sum(), rel=1e-14)
    ms = ib.cross_entropy(x, soft, from_logits=True, weight=w)
    ss = ib.cross_entropy(x, soft, from_logits=True, weight=w, reduction="sum")
    assert ms == pytest.approx(ss / len(x), rel=1e-14)
    fm = ib.focal_loss(x, np.maximum(y, 0), alpha=w)
    fs = ib.focal_loss(x, np.maximum(y, 0), alpha=w, reduction="sum")
    assert fm == pytest.approx(fs / len(x), rel=1e-14)


def test_kernel_runs_without_the_gil():
    import threading

    x = np.random.default_rng(19).normal(size=(2000, 500))
    y = np.zeros(2000, dtype=np.int64)
    expect = ib.cross_entropy(x, y, from_logits=True)
    out = []
    ts = [threading.Thread(target=lambda: out.append(
        ib.cross_entropy(x, y, from_logits=True))) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out == [expect] * 4


# --------------------------------------------------------------------------
# probabilities with hard labels and no gradient: only the labelled entry of
# each row is read (and the mean's count is taken in the same pass)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [None, 3])
def test_label_only_probs_path_vs_torch(dtype, weighted, ignore_index):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(21)
    N, K = 70_000, 10          # above the gather path's threading threshold
    P = rng.dirichlet(np.ones(K), size=N).astype(dtype)
    y = rng.integers(0, K, size=N)
    if ignore_index is not None:
        y[rng.random(N) < 0.2] = ignore_index
    w = rng.random(K) + 0.25 if weighted else None
    lp = torch.log(torch.tensor(P.astype(np.float64)))
    yt = torch.tensor(y)
    wt = None if w is None else torch.tensor(w)
    ig = -100 if ignore_index is None else ignore_index
    nll = torch.nn.functional.nll_loss
    for reduction in ("mean", "sum", "none"):
        want = nll(lp, yt, weight=wt, ignore_index=ig, reduction=reduction).numpy()
        got = ib.cross_entropy(P, y, weight=w, ignore_index=ignore_index,
                               reduction=reduction)
        np.testing.assert_allclose(got, want, rtol=1e-12 if dtype == np.float64
                                   else 1e-6)
    # the same bits for any thread count, and as the full-row path (gradient)
    old = ib.get_num_threads()
    try:
        res = []
        for n in (1, 2, 3):
            ib.set_num_threads(n)
            res.append(ib.cross_entropy(P, y, weight=w, ignore_index=ignore_index))
    finally:
        ib.set_num_threads(old)
    assert res[0] == res[1] == res[2]
    full, _ = ib.cross_entropy(P, y, weight=w, ignore_index=ignore_index,
                               return_grad=True)
    assert full == res[0]


def test_label_only_probs_path_edges():
    P = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    # probability 0 for the true class: +inf, no clamping
    assert ib.cross_entropy(P, [0, 0, 0, 1]) == np.inf
    # ... unless the row is ignored or its class weight is 0
    assert ib.cross_entropy(P, [0, 0, 0, 1], ignore_index=0) == pytest.approx(
        -np.log(0.75))
    got = ib.cross_entropy(P, [0, 0, 0, 1], weight=[0.0, 1.0], reduction="none")
    np.testing.assert_allclose(got, [0.0, 0.0, 0.0, -np.log(0.75)])
    assert ib.cross_entropy(P, [7, 0, 0, 7], ignore_index=7) == pytest.approx(
        -np.log(0.5) / 2 - np.log(1.0) / 2)
    # all rows ignored: a mean over nothing is 0
    assert ib.cross_entropy(P, [7, 7, 7, 7], ignore_index=7) == 0.0
    # a bad label is reported with its position, from the kernel's own pass
    with pytest.raises(IndexError, match="label 5 at position 2"):
        ib.cross_entropy(P, [1, 0, 5, 1])
    with pytest.raises(IndexError, match="label -1 at position 3"):
        ib.cross_entropy(P, [1, 0, 1, -1], ignore_index=7)


# --------------------------------------------------------------------------
# the one-call path of the training-loop call (plain (N, K) logits, int64
# labels, mean, no weights/smoothing/ignore)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(512, 128), (100, 1000), (1, 7), (33, 3)])
def test_logits_fast_path_matches_general_path_and_reference(dt, shape):
    rng = np.random.default_rng(31)
    x = (rng.normal(size=shape) * 4).astype(dt)
    y = rng.integers(0, shape[1], size=shape[0])
    fast = ib.cross_entropy(x, y, from_logits=True)
    fl, fg = ib.cross_entropy(x, y, from_logits=True, return_grad=True)
    # int32 labels take the general path (converted to int64 there)
    gen = ib.cross_entropy(x, y.astype(np.int32), from_logits=True)
    gl, gg = ib.cross_entropy(x, y.astype(np.int32), from_logits=True, return_grad=True)
    assert isinstance(fast, np.float64) and isinstance(fl, np.float64)
    assert fast == gen and fl == gl and fast == fl
    np.testing.assert_array_equal(fg, gg)
    assert fg.dtype == dt and fg.shape == x.shape
    # an independent float64 reference: log-sum-exp minus the label's logit
    x64 = x.astype(np.float64)
    m = x64.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(x64 - m).sum(axis=1, keepdims=True)))[:, 0]
    want = np.mean(lse - x64[np.arange(shape[0]), y])
    assert fast == pytest.approx(want, rel=1e-6 if dt == np.float32 else 1e-13)
    onehot = np.zeros(shape)
    onehot[np.arange(shape[0]), y] = 1.0
    gwant = (softmax(x64) - onehot) / shape[0]
    tol = dict(rtol=1e-5, atol=1e-7 / shape[0]) if dt == np.float32 else dict(rtol=1e-12,
                                                                               atol=1e-17)
    np.testing.assert_allclose(fg, gwant, **tol)


def test_logits_fast_path_extreme_rows_and_errors():
    # float64 rows whose exps underflow (the exps are scaled by 2^512 inside
    # the kernel): the gradient keeps subnormal softmax entries
    x = np.array([[0.0, -730.0, -736.0, -800.0, 5.0], [3.0, 3.0, -1.0, 2.0, 1e300]])
    y = np.array([0, 1])
    loss, g = ib.cross_entropy(x, y, from_logits=True, return_grad=True)
    lse0 = 5.0 + math.log1p(math.exp(-5.0))
    assert loss == pytest.approx((lse0 - 0.0 + (1e300 - 3.0)) / 2, rel=1e-15)
    want0 = np.exp(x[0] - 5.0) / (1.0 + math.exp(-5.0)) / 2
    want0[0] -= 0.5
    np.testing.assert_allclose(g[0], want0, rtol=1e-14, atol=4 * 5e-324)
    assert g[0, 1] > 0 and g[0, 3] == 0.0
    np.testing.assert_array_equal(g[1], [0.0, -0.5, 0.0, 0.0, 0.5])
    # a bad label on the fast path: the general path's IndexError
    with pytest.raises(IndexError, match="class label 9 at position 1"):
        ib.cross_entropy(x, np.array([0, 9]), from_logits=True)
    with pytest.raises(IndexError, match="class label -1 at position 0"):
        ib.cross_entropy(x, np.array([-1, 0]), from_logits=True, return_grad=True)
    # NaN / all -inf rows as on the general path
    z = np.array([[np.nan, 1.0], [-np.inf, -np.inf]])
    a = ib.cross_entropy(z, np.array([0, 1]), from_logits=True, reduction="sum")
    b = ib.cross_entropy(z, np.array([0, 1]), from_logits=True)
    assert np.isnan(a) and np.isnan(b)
