"""The neighbour engine's goal table in one run: infobits' KSG estimators
beside their peers, single thread, side by side in one process.

    python benchmarks/knn_goals.py [--repeats 5] [--quick]

Rows (ratio = peer time / infobits time; the last row is infobits' own
2-thread speed-up over 1 thread):

- KSG MI, 3-D x and 3-D y, n = 10^4, k = 3, vs npeet-plus ``mi`` (goal >= 2)
- KSG conditional MI, 1-D x, y, z, n = 10^4 and 10^5, k = 4, vs npeet-plus
  ``cmi`` (goal >= 5) and vs JIDT's ConditionalMutualInfoCalculator-
  MultiVariateKraskov1 on one thread (goal >= 10)
- KSG MI 1-D, n = 10^5, k = 3, vs scikit-learn ``mutual_info_regression``
  (goal >= 7)
- KSG conditional MI, n = 10^5, 2 threads vs 1 (goal >= 1.8 on an idle
  machine)

The repeats are interleaved (round-robin over the implementations of a row)
and the best time is kept.  The script prints the CPU, the load average
before and after, and the table.  Peers that are not installed are left
out (JIDT needs jpype1 and idtxl-uv's infodynamics.jar, and Java).
"""
from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
from _common import cpu_name as _cpu
from _common import jidt_module
from _common import load_average as _load

import infobits as ib
from infobits.estimate import conditional_mutual_information, mutual_information


def _jidt_cmi():
    """A callable (x, y, z) -> JIDT's KSG CMI on one thread, or None."""
    _jidt = jidt_module()
    if _jidt is None:
        return None

    def run(d):
        x, y, z = d
        calc = _jidt.calculator("measures.continuous.kraskov."
                                "ConditionalMutualInfoCalculatorMultiVariateKraskov1",
                                k=4, NUM_THREADS=1)
        calc.initialise(1, 1, 1)
        calc.setObservations(_jidt.array(x[:, None]), _jidt.array(y[:, None]),
                             _jidt.array(z[:, None]))
        return float(calc.computeAverageLocalOfObservations())
    return run


def _with_threads(n, fn):
    def run(d):
        old = ib.get_num_threads()
        ib.set_num_threads(n)
        try:
            return fn(d)
        finally:
            ib.set_num_threads(old)
    return run


def _cmi_data(n):
    rng = np.random.default_rng(19)
    z = rng.standard_normal(n)
    x = z + 0.5 * rng.standard_normal(n)
    y = 0.8 * z + 0.6 * x + 0.5 * rng.standard_normal(n)
    return x, y, z


def rows(quick=False):
    """(name, data, {label: fn}, {label: goal}) for the installed peers."""
    out = []
    try:
        import npeet_plus  # noqa: PLC0415
    except ImportError:
        npeet_plus = None
    try:
        from sklearn.feature_selection import mutual_info_regression  # noqa: PLC0415
    except ImportError:
        mutual_info_regression = None
    jidt = _jidt_cmi()

    rng = np.random.default_rng(18)
    x3 = rng.standard_normal((10**4, 3))
    y3 = x3 + rng.standard_normal((10**4, 3))
    impls = {"infobits": lambda d: mutual_information(d[0], d[1], method="ksg", k=3)}
    goals = {}
    if npeet_plus is not None:
        impls["npeet-plus mi"] = lambda d: npeet_plus.mi(d[0], d[1], k=3)
        goals["npeet-plus mi"] = 2.0
    out.append(("KSG MI 3-D x, 3-D y, n=1e4, k=3", (x3, y3), impls, goals))

    for n in ((10**4,) if quick else (10**4, 10**5)):
        d = _cmi_data(n)
        impls = {"infobits": lambda d: conditional_mutual_information(*d, method="ksg", k=4)}
        goals = {}
        if npeet_plus is not None:
            impls["npeet-plus cmi"] = lambda d: npeet_plus.cmi(d[0][:, None], d[1][:, None],
                                                              d[2][:, None], k=4)
            goals["npeet-plus cmi"] = 5.0
        if jidt is not None:
            impls["JIDT Kraskov1 (1 thread)"] = jidt
            goals["JIDT Kraskov1 (1 thread)"] = 10.0
        out.append((f"KSG CMI 1-D x, y, z, n=1e{int(math.log10(n))}, k=4", d, impls, goals))

    n = 10**5
    x = rng.standard_normal(n)
    y = 0.6 * x + 0.8 * rng.standard_normal(n)
    impls = {"infobits": lambda d: mutual_information(d[0], d[1], method="ksg", k=3)}
    goals = {}
    if mutual_info_regression is not None:
        impls["sklearn mutual_info_regression"] = lambda d: mutual_info_regression(
            d[0][:, None], d[1], n_neighbors=3, random_state=0)
        goals["sklearn mutual_info_regression"] = 7.0
    out.append(("KSG MI 1-D, n=1e5, k=3", (x, y), impls, goals))

    if not quick:
        d = _cmi_data(10**5)
        impls = {"infobits": lambda d: conditional_mutual_information(*d, method="ksg", k=4),
                 "infobits 2 threads": _with_threads(
                     2, lambda d: conditional_mutual_information(*d, method="ksg", k=4))}
        out.append(("KSG CMI n=1e5, 2 threads vs 1", d, impls, {"infobits 2 threads": 1.8}))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415
        limits = threadpool_limits(1)
    except ImportError:
        limits = None
    old = ib.get_num_threads()
    ib.set_num_threads(1)
    print(f"CPU: {_cpu()}; cores: {os.cpu_count()}; SIMD path: {ib.simd_path()}")
    print(f"load average before: {_load()}")
    print(f"{'workload':44s} {'implementation':32s} {'best s':>10s} {'ratio':>7s} {'goal':>6s}")
    try:
        for name, data, impls, goals in rows(args.quick):
            best = {k: math.inf for k in impls}
            for fn in impls.values():
                fn(data)   # warm-up (and the JIT of the JVM)
            for _ in range(args.repeats):
                for label, fn in impls.items():
                    t0 = time.perf_counter()
                    fn(data)
                    best[label] = min(best[label], time.perf_counter() - t0)
            ours = best["infobits"]
            for label, t in best.items():
                ratio = ours / t if label.startswith("infobits 2") else t / ours
                goal = goals.get(label)
                mark = "" if goal is None else ("met" if ratio >= goal else "NOT MET")
                print(f"{name:44s} {label:32s} {t:10.4f} {ratio:7.2f} "
                      f"{'' if goal is None else f'{goal:g}':>6s} {mark}")
    finally:
        ib.set_num_threads(old)
        if limits is not None:
            limits.unregister()
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
