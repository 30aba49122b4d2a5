"""Generate tests/data/torch_binary.json: PyTorch reference values for the
binary losses (BCE on probabilities and on logits, sigmoid focal loss), with
their autograd gradients, in float64.

Run from the repository root with torch installed (pinned: torch==2.13.0):

    python3 tests/data/make_torch_binary.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def focal_ref(x, y, gamma, alpha, reduction):
    """torchvision.ops.sigmoid_focal_loss, written out in torch ops."""
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


def run(kind, xa, ya, reduction, weight=None, pos_weight=None, gamma=2.0, alpha=0.25):
    x = torch.tensor(xa, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(ya, dtype=torch.float64)
    w = None if weight is None else torch.tensor(weight, dtype=torch.float64)
    pw = None if pos_weight is None else torch.tensor(pos_weight, dtype=torch.float64)
    if kind == "prob":
        out = F.binary_cross_entropy(x, y, weight=w, reduction=reduction)
    elif kind == "logits":
        out = F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw,
                                                 reduction=reduction)
    else:
        out = focal_ref(x, y, gamma, alpha, reduction)
    out.sum().backward()
    case = dict(kind=kind, x=xa, y=ya, reduction=reduction, weight=weight,
                pos_weight=pos_weight, loss=out.detach().numpy().tolist(),
                grad=x.grad.numpy().tolist())
    if kind == "focal":
        case.update(gamma=gamma, alpha=alpha)
    return case


def main():
    rng = np.random.default_rng(7)
    shape = (4, 3)
    p = rng.uniform(0.02, 0.98, shape).round(6).tolist()
    x = (rng.standard_normal(shape) * 3).round(6).tolist()
    yb = rng.integers(0, 2, shape).astype(float).tolist()
    ys = rng.uniform(0, 1, shape).round(6).tolist()
    w = rng.uniform(0.5, 2.0, shape[-1]).round(6).tolist()
    wfull = rng.uniform(0.0, 2.0, shape).round(6).tolist()
    pw = rng.uniform(0.5, 3.0, shape[-1]).round(6).tolist()
    cases = []
    for red in ("mean", "sum", "none"):
        for y in (yb, ys):
            cases.append(run("prob", p, y, red))
            cases.append(run("prob", p, y, red, weight=w))
            cases.append(run("logits", x, y, red))
            cases.append(run("logits", x, y, red, weight=wfull, pos_weight=pw))
            cases.append(run("logits", x, y, red, pos_weight=pw))
            for gamma, alpha in ((2.0, 0.25), (0.0, None), (1.5, 0.6), (3.0, -1.0)):
                cases.append(run("focal", x, y, red, gamma=gamma, alpha=alpha))
    doc = {"torch_version": torch.__version__, "dtype": "float64", "cases": cases}
    with open(os.path.join(HERE, "torch_binary.json"), "w") as f:
        # one case per line: small and diff-friendly
        f.write('{"torch_version": ' + json.dumps(doc["torch_version"])
                + ', "dtype": "float64", "cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases")


if __name__ == "__main__":
    main()
