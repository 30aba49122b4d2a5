"""
A permutation test: the null distribution, its p-value, and calibration
=======================================================================

:func:`infobits.estimate.permutation_test` estimates the mutual information
of the data, then again with the first argument permuted (which destroys any
dependence and keeps both marginals); the p-value is

.. math::

   p = \\frac{1 + \\#\\{\\text{null} \\ge \\text{statistic}\\}}{1 + n_{\\text{permutations}}}.

Left: one weakly dependent pair of label sequences, its null distribution
and its statistic. Right: the p-values of 400 independent pairs. A
calibrated test gives p-values uniform on (0, 1]: the histogram is flat and
about 5 % of them fall below 0.05.
"""

import matplotlib.pyplot as plt
import numpy as np

import infobits.estimate as est

rng = np.random.default_rng(4)
n = 400
x = rng.integers(0, 4, n)
y = np.where(rng.random(n) < 0.15, x, rng.integers(0, 4, n))   # weakly dependent
res = est.permutation_test(est.mutual_information, x, y, n_permutations=999, random_state=0)
print(f"MI = {res.statistic:.4f} bits, p = {res.pvalue:.4f}")

pvals = np.array([
    est.permutation_test(est.mutual_information, rng.integers(0, 4, n), rng.integers(0, 4, n),
                         n_permutations=199, random_state=s).pvalue
    for s in range(400)])
print(f"independent pairs: {np.mean(pvals <= 0.05):.3f} of the p-values <= 0.05")

fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.8))
a.hist(res.null_distribution, bins=40, color="0.6", label="null (999 permutations)")
a.axvline(res.statistic, color="C3", lw=2, label=f"statistic, p = {res.pvalue:.3f}")
a.set_xlabel("mutual information (bits)")
a.set_ylabel("count")
a.set_title("one dependent pair")
a.legend(fontsize=8)
b.hist(pvals, bins=20, range=(0, 1), color="C0", edgecolor="white")
b.axhline(len(pvals) / 20, color="k", ls="--", lw=1, label="uniform")
b.set_xlabel("p-value")
b.set_title("400 independent pairs")
b.legend(fontsize=8)
fig.tight_layout()
plt.show()
