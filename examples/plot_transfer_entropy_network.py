"""
A transfer-entropy network of coupled processes
===============================================

Five autoregressive processes drive each other along a known graph:
0 -> 1 -> 2, 0 -> 3 and 3 -> 4, each link with one step of delay.
:func:`infobits.estimate.transfer_entropy_matrix` estimates the transfer
entropy of every ordered pair (KSG, one step of history) in one call; the
strongest entries recover the links, drawn as arrows whose width follows
the estimate.
"""

import matplotlib.pyplot as plt
import numpy as np

import infobits.estimate as est

rng = np.random.default_rng(2)
n, m = 2000, 5
links = [(0, 1), (1, 2), (0, 3), (3, 4)]
X = np.zeros((n, m))
noise = rng.standard_normal((n, m))
for t in range(1, n):
    X[t] = 0.4 * X[t - 1] + noise[t]
    for src, dst in links:
        X[t, dst] += 0.6 * X[t - 1, src]

T = est.transfer_entropy_matrix(X, history=1, k=4, base="nats", random_state=0)
found = sorted(((T[i, j], i, j) for i in range(m) for j in range(m) if i != j), reverse=True)
print("largest entries (nats):")
for te, i, j in found[:5]:
    print(f"  {i} -> {j}: {te:.3f}" + ("   (a true link)" if (i, j) in links else ""))

angle = np.pi / 2 - 2 * np.pi * np.arange(m) / m
pos = np.column_stack([np.cos(angle), np.sin(angle)])
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4.5))
im = ax0.imshow(T, cmap="magma")
ax0.set_xlabel("target")
ax0.set_ylabel("source")
ax0.set_title("transfer entropy (nats)")
fig.colorbar(im, ax=ax0)
top = np.nanmax(T)
for te, i, j in found:
    if te > 0.1 * top:
        ax1.annotate("", xy=pos[j], xytext=pos[i],
                     arrowprops=dict(arrowstyle="-|>", lw=0.5 + 5 * te / top, shrinkA=14, shrinkB=14,
                                     color="tab:blue" if (i, j) in links else "tab:red"))
for k, (x, y) in enumerate(pos):
    ax1.add_patch(plt.Circle((x, y), 0.12, color="0.85", zorder=2))
    ax1.text(x, y, str(k), ha="center", va="center", zorder=3)
ax1.set_xlim(-1.4, 1.4)
ax1.set_ylim(-1.4, 1.4)
ax1.set_aspect("equal")
ax1.axis("off")
ax1.set_title("links above 10% of the largest (blue: true)")
fig.tight_layout()
plt.show()
