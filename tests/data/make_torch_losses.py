"""Reference values of the multiclass losses from PyTorch, and the script that
writes them to ``torch_losses.json`` (so machines without torch still check
infobits against torch's numbers).

    python3 tests/data/make_torch_losses.py      # needs torch==2.13.0 (CPU)

The reference functions here are also imported by ``tests/unit/test_losses.py``.
From logits the reference is ``torch.nn.functional.cross_entropy`` itself.
From probabilities it is the same formula torch uses internally
(``aten/src/ATen/native/LossNLL.cpp``: nll_loss plus the label-smoothing
term with the class weights inside the sum), applied to ``log(p)`` so that
autograd gives the gradient with respect to the probabilities.
"""
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).parent
OUT = HERE / "torch_losses.json"


def torch_cross_entropy(x, y, *, from_logits, weight=None, ignore_index=None,
                        label_smoothing=0.0, reduction="mean"):
    """torch value of infobits.cross_entropy (x, y, weight torch tensors)."""
    import torch
    import torch.nn.functional as F

    if from_logits:
        kw = dict(weight=weight, label_smoothing=label_smoothing,
                  reduction=reduction)
        if ignore_index is not None:
            kw["ignore_index"] = ignore_index
        return F.cross_entropy(x, y, **kw)
    lp = x.log()
    K = x.shape[-1]
    eps = label_smoothing
    cdim = 0 if x.dim() == 1 else 1
    if y.is_floating_point():  # soft targets: torch's prob-target formula
        t = y * (1 - eps) + eps / K if eps > 0 else y
        w = weight if weight is not None else torch.ones(K, dtype=x.dtype)
        per = -(lp * t * w).sum(cdim)
        if reduction == "none":
            return per
        if reduction == "sum":
            return per.sum()
        return per.sum() / (lp.numel() // K)
    ig = -100 if ignore_index is None else ignore_index
    nll = F.nll_loss(lp, y, weight=weight, ignore_index=ig, reduction=reduction)
    if eps == 0.0:
        return nll
    mask = y == ig
    if weight is not None:
        smooth = -(lp * weight).sum(cdim)
    else:
        smooth = -lp.sum(cdim)
    smooth = smooth.masked_fill(mask, 0.0)
    if reduction == "none":
        ret = smooth
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        if weight is not None:
            ret = smooth.sum() / weight.gather(0, y.masked_select(~mask).flatten()).sum()
        else:
            ret = smooth.sum() / (~mask).sum()
    return (1 - eps) * nll + ret * (eps / K)


def torch_focal(x, y, *, gamma=2.0, alpha=None, from_logits=True,
                reduction="mean"):
    """Softmax focal loss -alpha_y (1 - p_y)^gamma log p_y in torch ops."""
    import torch
    import torch.nn.functional as F

    one = x.dim() == 1
    if one:
        x = x[None, :]
        y = y.reshape(1)
    if from_logits:
        lpy = F.log_softmax(x, 1).gather(1, y[:, None])[:, 0]
        p = lpy.exp()
    else:
        p = x.gather(1, y[:, None])[:, 0]
        lpy = p.log()
    if alpha is None:
        a = 1.0
    elif torch.is_tensor(alpha) and alpha.dim() == 1:
        a = alpha[y]
    else:
        a = float(alpha)
    per = -a * (1 - p) ** gamma * lpy
    if reduction == "none":
        return per[0] if one else per
    if reduction == "sum":
        return per.sum()
    return per.mean()


def torch_nll(x, y, *, weight=None, ignore_index=None, reduction="mean"):
    import torch.nn.functional as F

    ig = -100 if ignore_index is None else ignore_index
    return F.nll_loss(x, y, weight=weight, ignore_index=ig, reduction=reduction)


def _cases():
    rng = np.random.default_rng(20261123)
    N, K = 6, 4
    logits = np.round(rng.normal(size=(N, K)) * 2, 3)
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    labels = [0, 3, 1, 2, 3, 1]
    labels_ig = [0, -100, 1, 2, -100, 1]
    soft = rng.random((N, K))
    soft /= soft.sum(1, keepdims=True)
    w = [0.5, 2.0, 1.0, 3.0]
    cases = []
    for reduction in ("mean", "sum", "none"):
        for from_logits, x in ((True, logits), (False, probs)):
            for kw in (
                {},
                {"weight": w},
                {"label_smoothing": 0.15},
                {"weight": w, "ignore_index": -100, "label_smoothing": 0.2},
            ):
                y = labels_ig if "ignore_index" in kw else labels
                cases.append(("cross_entropy", x, y,
                              dict(kw, from_logits=from_logits, reduction=reduction)))
            cases.append(("cross_entropy", x, soft,
                          dict(from_logits=from_logits, reduction=reduction,
                               weight=w, label_smoothing=0.1)))
            cases.append(("focal_loss", x, labels,
                          dict(from_logits=from_logits, reduction=reduction,
                               gamma=2.0, alpha=[0.25, 0.5, 0.75, 1.0])))
            cases.append(("focal_loss", x, labels,
                          dict(from_logits=from_logits, reduction=reduction,
                               gamma=0.5, alpha=0.25)))
        cases.append(("nll_loss", np.log(probs), labels_ig,
                      dict(weight=w, ignore_index=-100, reduction=reduction)))
    return cases


def _to_torch(name, x, y, kw):
    import torch

    xt = torch.tensor(np.asarray(x), dtype=torch.float64, requires_grad=True)
    ya = np.asarray(y)
    yt = torch.tensor(ya, dtype=torch.float64 if ya.dtype.kind == "f" else torch.int64)
    kw = dict(kw)
    for key in ("weight", "alpha"):
        if key in kw and np.ndim(kw[key]) == 1:
            kw[key] = torch.tensor(kw[key], dtype=torch.float64)
    return xt, yt, kw


def reference(name, x, y, kw):
    """(loss, grad) from torch for one case; grad None for nll_loss."""
    xt, yt, tkw = _to_torch(name, x, y, kw)
    if name == "cross_entropy":
        out = torch_cross_entropy(xt, yt, **tkw)
    elif name == "focal_loss":
        out = torch_focal(xt, yt, **tkw)
    else:
        out = torch_nll(xt, yt, **tkw)
    out.sum().backward()
    grad = None if name == "nll_loss" else xt.grad.numpy().tolist()
    return out.detach().numpy().tolist(), grad


def main():
    import torch

    records = []
    for name, x, y, kw in _cases():
        loss, grad = reference(name, x, y, kw)
        records.append({
            "function": name,
            "kwargs": kw,
            "y_hat": np.asarray(x).tolist(),
            "y": np.asarray(y).tolist(),
            "loss": loss,
            "grad": grad,
        })
    head = json.dumps({"torch_version": torch.__version__, "dtype": "float64"})
    body = ",\n".join(json.dumps(r) for r in records)
    OUT.write_text(head[:-1] + ', "cases": [\n' + body + "\n]}\n")
    print(f"wrote {len(records)} cases to {OUT}")


if __name__ == "__main__":
    main()
