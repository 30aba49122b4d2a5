"""Multivariate measures beside dit, JIDT and hoi: prints the table of the
``infobits bench`` rows, and (with ``--hoi``) the KSG total correlation
against hoi.

Workloads (single thread; ratio = peer time / infobits time):
- O-information and total correlation of a 4-variable joint table (10
  symbols each), vs dit's ``o_information`` + ``total_correlation`` on the
  same table (dit's Distribution built from it inside the call) (>= 100x);
- KSG O-information and total correlation, 4 variables, n = 10^4, k = 4,
  vs JIDT's OInfoCalculatorKraskov / MultiInfoCalculatorKraskov1 on one
  thread (>= 5x);
- Gaussian and GCMI O-information, 4 variables, n = 10^5, vs JIDT's
  OInfoCalculatorGaussian (>= 2x);
- ``--hoi``: KSG total correlation, same data, vs hoi's ``TC`` with its
  k-NN entropies (``method="knn"``, k = 4) (>= 5x).  hoi takes minutes
  here (a brute-force JAX neighbour search), so it runs once.

JIDT rows appear when jpype1 and idtxl-uv (its infodynamics.jar) are
installed; the JIDT calls include the conversion of the NumPy arrays to
Java arrays, as a Python user pays it.

    python benchmarks/bench_multivariate.py [--quick] [--repeats N] [--hoi]
"""
import argparse
import os
import sys
import time

import numpy as np

import infobits as ib
from infobits import bench
from infobits import estimate as est


def _hoi_row(repeats):
    try:
        import logging

        from hoi.metrics import TC
        logging.disable(logging.WARNING)
    except Exception:  # noqa: BLE001 - hoi not installed
        print("hoi is not installed: no hoi row")
        return
    rng = np.random.default_rng(9)
    s = rng.standard_normal((10**4, 1))
    X = np.ascontiguousarray(s + rng.standard_normal((10**4, 4)))
    old = ib.get_num_threads()
    ib.set_num_threads(1)
    try:
        est.total_correlation(X, method="ksg")       # warm-up
        ours = min(_timed(lambda: est.total_correlation(X, method="ksg"))
                   for _ in range(max(repeats, 3)))
    finally:
        ib.set_num_threads(old)
    theirs = _timed(lambda: TC(X, verbose=False).fit(minsize=4, maxsize=4, method="knn", k=4))
    ratio = theirs / ours
    print(f"KSG total_correlation 4 variables 1e4 k=4: infobits {ours:.4f} s, hoi TC knn "
          f"{theirs:.2f} s (once), ratio {ratio:.0f}x, goal 5x: "
          f"{'met' if ratio >= 5 else 'NOT MET'}")


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--hoi", action="store_true", help="also time hoi's TC (minutes)")
    a = p.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    rep = bench.run(quick=a.quick, repeats=a.repeats,
                    workload_list=bench._multivariate_workloads(a.quick))
    m = rep["machine"]
    print(f"CPU: {m.get('processor')}  SIMD path: {m.get('simd_path')}")
    print(bench.format_table(rep))
    if a.hoi:
        _hoi_row(a.repeats or 3)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
